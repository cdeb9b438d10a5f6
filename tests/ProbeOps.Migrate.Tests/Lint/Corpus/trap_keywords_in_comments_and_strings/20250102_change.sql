-- revision: 20250102_change
-- down_revision: 20250101_populated

-- migrate:upgrade
-- CREATE INDEX ix ON accounts (email); DROP TABLE accounts;
/* VACUUM FULL accounts; */
COMMENT ON TABLE accounts IS 'DROP TABLE accounts; TRUNCATE orders';
CREATE FUNCTION touch() RETURNS void LANGUAGE sql AS $$ UPDATE accounts SET status = 'x' $$;
