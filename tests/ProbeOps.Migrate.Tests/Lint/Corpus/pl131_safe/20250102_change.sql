-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
ALTER TABLE accounts ALTER COLUMN email TYPE varchar(200), ALTER COLUMN balance TYPE numeric(14, 2);
