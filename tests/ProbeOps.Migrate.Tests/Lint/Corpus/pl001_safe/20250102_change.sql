-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- lint:ignore PL101 accounts holds a few hundred rows in every environment
CREATE INDEX ix_accounts_email ON accounts (email);
