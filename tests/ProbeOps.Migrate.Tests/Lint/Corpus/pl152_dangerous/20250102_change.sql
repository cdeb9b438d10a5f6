-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL152
ALTER TABLE accounts DROP COLUMN status;
