-- revision: 20250103_step_2
-- down_revision: 20250102_step_1

-- migrate:upgrade
-- expect: PL101
CREATE INDEX ix_accounts_email ON accounts (email);
