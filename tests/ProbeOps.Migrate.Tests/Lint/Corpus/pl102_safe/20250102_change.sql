-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade transaction:false
DROP INDEX CONCURRENTLY IF EXISTS ix_accounts_name;
