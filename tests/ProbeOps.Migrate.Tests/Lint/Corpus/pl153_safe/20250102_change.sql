-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
CREATE TABLE drafts (id bigint, body text);
ALTER TABLE drafts RENAME COLUMN body TO text_body;
