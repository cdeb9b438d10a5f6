-- revision: 20250104_step_3
-- down_revision: 20250103_step_2

-- migrate:upgrade
ALTER TABLE accounts ALTER COLUMN name SET NOT NULL;
ALTER TABLE accounts DROP CONSTRAINT accounts_name_not_null;
