-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade transaction:false
-- expect: PL104
CREATE INDEX CONCURRENTLY ix_accounts_email ON accounts (email);
