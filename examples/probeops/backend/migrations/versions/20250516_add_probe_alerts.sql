-- revision: 20250516_add_probe_alerts
-- down_revision: 20250515_add_tier_limits
-- message: Add alert channels and per-probe alert rules

-- migrate:upgrade
CREATE TABLE alert_channels (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('email', 'webhook', 'slack')),
    address    TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE probe_alert_rules (
    probe_id             BIGINT NOT NULL REFERENCES probes (id) ON DELETE CASCADE,
    channel_id           BIGINT NOT NULL REFERENCES alert_channels (id) ON DELETE CASCADE,
    consecutive_failures INTEGER NOT NULL DEFAULT 3 CHECK (consecutive_failures > 0),
    PRIMARY KEY (probe_id, channel_id)
);

-- migrate:downgrade
DROP TABLE probe_alert_rules;
DROP TABLE alert_channels;
