-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL153
ALTER TABLE accounts RENAME COLUMN name TO full_name;
