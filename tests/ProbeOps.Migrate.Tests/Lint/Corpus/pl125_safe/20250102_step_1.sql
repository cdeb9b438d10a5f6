-- revision: 20250102_step_1
-- down_revision: 20250101_populated

-- migrate:upgrade transaction:false
DROP INDEX CONCURRENTLY IF EXISTS accounts_email_key;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_key ON accounts (email);
