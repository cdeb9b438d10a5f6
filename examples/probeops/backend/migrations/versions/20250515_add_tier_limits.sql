-- revision: 20250515_add_tier_limits
-- down_revision: 20250514_create_base_schema
-- message: Add tier limits

-- migrate:upgrade
CREATE TABLE tier_limits (
    tier                 TEXT PRIMARY KEY CHECK (tier IN ('free', 'pro', 'enterprise')),
    max_probes           INTEGER NOT NULL CHECK (max_probes >= 0),
    min_interval_seconds INTEGER NOT NULL CHECK (min_interval_seconds >= 10),
    max_api_keys         INTEGER NOT NULL CHECK (max_api_keys >= 0),
    retention_days       INTEGER NOT NULL CHECK (retention_days > 0)
);

INSERT INTO tier_limits (tier, max_probes, min_interval_seconds, max_api_keys, retention_days) VALUES
    ('free', 5, 300, 1, 7),
    ('pro', 100, 60, 10, 90),
    ('enterprise', 10000, 10, 100, 400);

-- migrate:downgrade
DROP TABLE tier_limits;
