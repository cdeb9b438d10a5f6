-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- expect: PL121
ALTER TABLE accounts ALTER COLUMN name SET NOT NULL;
