-- revision: 20250514_create_base_schema
-- down_revision: none
-- message: Create base schema: users, API keys, probes and probe results

-- The SQL here is accepted by both PostgreSQL (production) and SQLite (the quick start):
-- BIGSERIAL is an auto-incrementing id on PostgreSQL and a plain column type on SQLite.

-- migrate:upgrade
CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    tier          TEXT NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'pro', 'enterprise')),
    is_active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE api_keys (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    key_prefix   TEXT NOT NULL,
    key_hash     TEXT NOT NULL UNIQUE,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX ix_api_keys_user_id ON api_keys (user_id);

CREATE TABLE probes (
    id               BIGSERIAL PRIMARY KEY,
    user_id          BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    target           TEXT NOT NULL,
    kind             TEXT NOT NULL DEFAULT 'http' CHECK (kind IN ('http', 'tcp', 'icmp', 'dns')),
    interval_seconds INTEGER NOT NULL DEFAULT 60 CHECK (interval_seconds >= 10),
    timeout_seconds  INTEGER NOT NULL DEFAULT 10 CHECK (timeout_seconds > 0),
    is_enabled       BOOLEAN NOT NULL DEFAULT TRUE,
    created_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (user_id, name)
);

CREATE TABLE probe_results (
    id          BIGSERIAL PRIMARY KEY,
    probe_id    BIGINT NOT NULL REFERENCES probes (id) ON DELETE CASCADE,
    checked_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    status      TEXT NOT NULL CHECK (status IN ('up', 'down', 'degraded', 'error')),
    latency_ms  INTEGER,
    status_code INTEGER,
    error       TEXT
);

CREATE INDEX ix_probe_results_probe_checked ON probe_results (probe_id, checked_at DESC);

-- migrate:downgrade
DROP TABLE probe_results;
DROP TABLE probes;
DROP TABLE api_keys;
DROP TABLE users;
