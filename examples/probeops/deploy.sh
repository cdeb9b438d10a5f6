#!/usr/bin/env bash
# The example project's deploy: migrate the database first, then ship the application.
#
#   examples/probeops/deploy.sh [deploy options...]                      # development (SQLite)
#   PROBEOPS_ENV=staging STAGING_DB_PASSWORD=... examples/probeops/deploy.sh
#   PROBEOPS_ENV=production PROD_DB_PASSWORD=... examples/probeops/deploy.sh
#
# Uses this directory's probeops-migrate.json (migrations in backend/migrations/versions, backups
# in backups/, logs in deployment_logs/), whose environments name the databases: PROBEOPS_ENV
# selects one (default: development). production is protected: no --no-backup, and --allow-drift
# needs --reason. DATABASE_URL, when set, overrides the environment's database. Arguments go to
# `probeops-migrate deploy`.
set -euo pipefail

example_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$example_dir/../.." && pwd)"

export PROBEOPS_MIGRATE_CONFIG="$example_dir/probeops-migrate.json"
export PROBEOPS_ENV="${PROBEOPS_ENV:-development}"
cd "$example_dir"

echo "deploying environment $PROBEOPS_ENV"
if [[ -n "${DATABASE_URL:-}" ]]; then
  echo "DATABASE_URL is set: it overrides the database of environment $PROBEOPS_ENV"
else
  echo "DATABASE_URL is not set: deploying to the database of environment $PROBEOPS_ENV"
fi

echo "==> 1/4 database migrations"
"$REPO/scripts/deployment/db_migration_deploy.sh" "$@"

# What follows stands in for the project's real steps.
echo "==> 2/4 building the backend (simulated)"
echo "==> 3/4 restarting the API workers (simulated)"
echo "==> 4/4 smoke test (simulated)"
echo "deploy finished"
