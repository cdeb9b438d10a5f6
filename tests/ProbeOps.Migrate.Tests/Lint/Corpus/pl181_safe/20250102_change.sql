-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
UPDATE accounts SET status = 'active'
WHERE id IN (SELECT id FROM accounts WHERE status IS NULL LIMIT 5000);
