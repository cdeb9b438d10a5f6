-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL111
ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid();
