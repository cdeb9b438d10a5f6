#!/usr/bin/env bash
# The database step of a deploy: a main deploy.sh calls this early, before shipping any code
# that needs the new schema.
#
#   "$REPO/scripts/deployment/db_migration_deploy.sh" [deploy options...]
#
# Runs safe_deploy_db.sh (same environment, same arguments: PROBEOPS_ENV selects the config file's
# environment). On a non-zero exit code it says so and exits with that code, so a deploy.sh under
# `set -e` stops right there.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if "$script_dir/safe_deploy_db.sh" "$@"; then
  rc=0
else
  rc=$?
fi

if [[ "$rc" -ne 0 ]]; then
  echo "database migration failed (exit $rc): stopping the deploy (environment ${PROBEOPS_ENV:-none})" >&2
  exit "$rc"
fi
echo "database migration done"
