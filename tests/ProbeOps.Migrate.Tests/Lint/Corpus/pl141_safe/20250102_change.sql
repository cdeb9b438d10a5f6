-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade transaction:false
VACUUM (ANALYZE) accounts;
