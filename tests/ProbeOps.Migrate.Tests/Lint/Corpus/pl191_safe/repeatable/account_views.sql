-- message: views over accounts

-- migrate:upgrade
CREATE OR REPLACE VIEW active_accounts AS SELECT id, email FROM accounts WHERE status = 'active';

CREATE OR REPLACE FUNCTION account_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM accounts $$;

DROP MATERIALIZED VIEW IF EXISTS account_totals;
CREATE MATERIALIZED VIEW account_totals AS SELECT status, count(*) FROM accounts GROUP BY status;

GRANT SELECT ON active_accounts TO PUBLIC;
