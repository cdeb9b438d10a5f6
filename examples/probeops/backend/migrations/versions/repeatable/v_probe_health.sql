-- message: Each probe with its latest result, for the dashboard

-- A repeatable migration: edit the view here and the next deploy replaces it. DROP and CREATE
-- work on PostgreSQL and SQLite alike (SQLite has no CREATE OR REPLACE VIEW).
-- ${slow_probe_ms} comes from "placeholders" in probeops-migrate.json (or --placeholder slow_probe_ms=VALUE).

-- migrate:upgrade
DROP VIEW IF EXISTS v_probe_health;

CREATE VIEW v_probe_health AS
SELECT p.id AS probe_id,
       p.user_id,
       p.name,
       r.status,
       r.checked_at,
       r.latency_ms,
       r.latency_ms > ${slow_probe_ms} AS is_slow
FROM probes p
LEFT JOIN probe_results r
  ON r.id = (SELECT id FROM probe_results WHERE probe_id = p.id ORDER BY checked_at DESC, id DESC LIMIT 1);
