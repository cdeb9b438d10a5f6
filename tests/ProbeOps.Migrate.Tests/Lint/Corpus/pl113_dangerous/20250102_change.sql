-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL113
ALTER TABLE accounts ADD COLUMN seq bigserial;
