-- message: views over accounts

-- migrate:upgrade
-- expect: PL191
CREATE VIEW active_accounts AS SELECT id, email FROM accounts WHERE status = 'active';

-- expect: PL191
CREATE FUNCTION account_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM accounts $$;

GRANT SELECT ON active_accounts TO PUBLIC;
