-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
UPDATE accounts SET status = 'closed' WHERE id = 42;
DELETE FROM orders WHERE account_id = 42 RETURNING id;
INSERT INTO orders (id, account_id) VALUES (1, 42);
