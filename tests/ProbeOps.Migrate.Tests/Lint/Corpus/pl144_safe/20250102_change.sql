-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
CREATE TABLE staging (id bigint);
INSERT INTO staging VALUES (1);
TRUNCATE staging;
