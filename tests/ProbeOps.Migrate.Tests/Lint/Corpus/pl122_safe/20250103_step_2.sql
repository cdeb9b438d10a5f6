-- revision: 20250103_step_2
-- down_revision: 20250102_step_1

-- migrate:upgrade
ALTER TABLE orders VALIDATE CONSTRAINT orders_account_fk;
