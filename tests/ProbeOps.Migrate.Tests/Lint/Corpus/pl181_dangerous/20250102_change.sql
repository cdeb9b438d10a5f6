-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL181
UPDATE accounts SET status = 'active' WHERE status IS NULL;
