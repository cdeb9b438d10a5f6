-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
CREATE TABLE scratch (id bigint);
ALTER TABLE scratch SET UNLOGGED;
