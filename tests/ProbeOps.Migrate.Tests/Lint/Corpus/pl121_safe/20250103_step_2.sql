-- revision: 20250103_step_2
-- down_revision: 20250102_step_1

-- migrate:upgrade
ALTER TABLE accounts VALIDATE CONSTRAINT accounts_name_not_null;
