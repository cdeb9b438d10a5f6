#!/usr/bin/env bash
# The example project's deploy: migrate the database first, then ship the application.
#
#   DATABASE_URL=postgres://user:pass@host:5432/probeops examples/probeops/deploy.sh [deploy options...]
#
# Uses this directory's probeops-migrate.json (migrations in backend/migrations/versions, backups
# in backups/, logs in deployment_logs/). DATABASE_URL names the database; without it the config's
# SQLite database (probeops.db here) is used. Arguments go to `probeops-migrate deploy`.
set -euo pipefail

example_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$example_dir/../.." && pwd)"

export PROBEOPS_MIGRATE_CONFIG="$example_dir/probeops-migrate.json"
cd "$example_dir"

if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "DATABASE_URL is not set: deploying to the config's SQLite database"
fi

echo "==> 1/4 database migrations"
"$REPO/scripts/deployment/db_migration_deploy.sh" "$@"

# What follows stands in for the project's real steps.
echo "==> 2/4 building the backend (simulated)"
echo "==> 3/4 restarting the API workers (simulated)"
echo "==> 4/4 smoke test (simulated)"
echo "deploy finished"
