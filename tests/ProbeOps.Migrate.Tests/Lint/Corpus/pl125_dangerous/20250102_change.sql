-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL125
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
