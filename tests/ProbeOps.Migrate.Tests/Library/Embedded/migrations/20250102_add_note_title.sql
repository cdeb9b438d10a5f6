-- down_revision: 20250101_create_notes

-- migrate:upgrade
ALTER TABLE notes ADD COLUMN title text;
