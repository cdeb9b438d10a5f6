-- revision: 20250102_step_1
-- down_revision: 20250101_populated

-- migrate:upgrade
ALTER TABLE accounts ADD CONSTRAINT accounts_name_not_null CHECK (name IS NOT NULL) NOT VALID;
