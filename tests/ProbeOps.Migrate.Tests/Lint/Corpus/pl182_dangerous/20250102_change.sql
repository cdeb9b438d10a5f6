-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN plan text;

-- migrate:backfill
-- expect: PL182
UPDATE accounts SET plan = 'basic' WHERE plan IS NULL;
