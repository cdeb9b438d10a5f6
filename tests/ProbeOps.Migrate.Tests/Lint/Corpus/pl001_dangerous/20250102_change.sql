-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL001
-- lint:ignore PL101
-- expect: PL101
CREATE INDEX ix_accounts_email ON accounts (email);
