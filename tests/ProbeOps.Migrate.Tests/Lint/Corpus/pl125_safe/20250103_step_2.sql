-- revision: 20250103_step_2
-- down_revision: 20250102_step_1

-- migrate:upgrade
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE USING INDEX accounts_email_key;
