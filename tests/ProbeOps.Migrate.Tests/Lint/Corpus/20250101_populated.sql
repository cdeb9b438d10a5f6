-- revision: 20250101_populated
-- down_revision: none

-- migrate:upgrade
CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    email varchar(100),
    name text,
    balance numeric(10, 2),
    score int,
    status text
);
CREATE INDEX ix_accounts_name ON accounts (name);
CREATE TABLE orders (id bigint PRIMARY KEY, account_id bigint);
CREATE TYPE mood AS ENUM ('ok', 'sad');
