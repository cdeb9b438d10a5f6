#!/usr/bin/env bash
# Runs `probeops-migrate deploy` with this environment's settings and exits with its exit code.
#
#   scripts/deployment/safe_deploy_db.sh [deploy options...]
#
# Settings come from the environment as the tool reads them: PROBEOPS_ENV (the environment of the
# config file: development, staging, production, ...), PROBEOPS_MIGRATE_CONFIG (the config file),
# DATABASE_URL (the database; it overrides the environment's), PROBEOPS_MIGRATIONS (the migrations
# directory). Secrets the config file names as ${NAME} (e.g. PROD_DB_PASSWORD) come from the
# environment too. Extra arguments go to `deploy` unchanged, e.g. --stamp-unversioned base.
#
#   PROBEOPS_ENV=production PROD_DB_PASSWORD=... scripts/deployment/safe_deploy_db.sh
#
# The tool is, in this order:
#   1. $PROBEOPS_MIGRATE, a command line split on spaces (e.g. "/opt/probeops/probeops-migrate"
#      or "dotnet /opt/probeops/probeops-migrate.dll");
#   2. probeops-migrate on PATH (the published apphost or the installed .NET tool);
#   3. dotnet run --project <repo>/src/ProbeOps.Migrate.Cli -- (builds the tool first; needs the .NET SDK).
#
# A non-zero exit code is passed through unchanged, with one line on stderr saying what it means.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/../.." && pwd)"

say() { printf 'safe_deploy_db.sh: %s\n' "$*" >&2; }

if [[ -n "${PROBEOPS_MIGRATE:-}" ]]; then
  read -r -a tool <<<"$PROBEOPS_MIGRATE"
elif command -v probeops-migrate >/dev/null 2>&1; then
  tool=(probeops-migrate)
else
  tool=(dotnet run --project "$repo_root/src/ProbeOps.Migrate.Cli" --)
fi

meaning() {
  case "$1" in
    1) echo "unexpected internal error" ;;
    2) echo "usage or configuration error (check PROBEOPS_ENV, DATABASE_URL, PROBEOPS_MIGRATE_CONFIG, the variables the config file names and the arguments)" ;;
    3) echo "migration files, graph or history invalid (run probeops-migrate validate)" ;;
    4) echo "database unreachable or authentication failed" ;;
    5) echo "client/server versions incompatible: pg_dump/pg_restore are older than the server" ;;
    6) echo "backup or restore failed: nothing was applied" ;;
    7) echo "migration lock not acquired in time: another deploy is running" ;;
    8) echo "a migration failed and was rolled back (the restore command is printed above)" ;;
    9) echo "schema drift detected" ;;
    10) echo "confirmation required or declined (an unversioned database needs --stamp-unversioned; a protected environment refuses --no-backup and needs --reason with --allow-drift)" ;;
    126) echo "the tool could not be executed: ${tool[*]}" ;;
    127) echo "the tool was not found: ${tool[*]}" ;;
    130 | 143) echo "interrupted" ;;
    *) echo "unknown exit code" ;;
  esac
}

say "environment: ${PROBEOPS_ENV:-none (the top-level settings of the config file)}"

# Captured without letting set -e end the script first: the code is reported, then returned.
if "${tool[@]}" deploy "$@"; then
  rc=0
else
  rc=$?
fi

if [[ "$rc" -ne 0 ]]; then
  say "deploy exited $rc: $(meaning "$rc")"
fi
exit "$rc"
