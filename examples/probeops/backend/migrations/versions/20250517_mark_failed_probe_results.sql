-- revision: 20250517_mark_failed_probe_results
-- down_revision: 20250516_add_probe_alerts
-- message: Mark failed probe results, backfilling existing rows in batches

-- migrate:upgrade
-- A nullable column without a default: a catalog change, no table rewrite.
ALTER TABLE probe_results ADD COLUMN is_failure BOOLEAN;

-- migrate:backfill pause:10ms
-- Runs again and again, each run in its own short transaction, until a run changes no row.
-- Each run changes at most 5,000 rows: LIMIT in a subquery bounds it.
UPDATE probe_results SET is_failure = (status <> 'up')
WHERE id IN (SELECT id FROM probe_results WHERE is_failure IS NULL LIMIT 5000);

-- migrate:downgrade
ALTER TABLE probe_results DROP COLUMN is_failure;
