-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN plan text DEFAULT 'free';
