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

cleanup() {
  local rc=$?
  pg_cluster_stop
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pg_cluster_ensure_bin
pg_cluster_start

export PROBEOPS_TEST_PG_URL="postgres://postgres:$password@127.0.0.1:$port/postgres"
export PROBEOPS_TEST_PG_BIN="$pg_bin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
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
