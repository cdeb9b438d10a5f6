-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_accounts_email ON accounts (email);
