-- revision: 20250102_step_1
-- down_revision: 20250101_populated

-- migrate:upgrade
ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
