-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade transaction:false
-- expect: PL141
VACUUM FULL accounts;
