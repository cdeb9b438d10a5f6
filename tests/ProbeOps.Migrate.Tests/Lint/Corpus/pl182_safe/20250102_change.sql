-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
ALTER TABLE accounts ADD COLUMN plan text;

-- migrate:backfill pause:10ms
UPDATE accounts SET plan = 'basic'
WHERE id IN (SELECT id FROM accounts WHERE plan IS NULL LIMIT 5000 FOR UPDATE SKIP LOCKED);
