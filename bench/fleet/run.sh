#!/usr/bin/env bash
# The fleet benchmark: 50 databases, each with one migration that waits one second.
#
#   bench/fleet/run.sh [N]     N databases (default 50); prints a Markdown section for bench/RESULTS.md
#
# Measures, in one run on one machine, against a throwaway PostgreSQL cluster (as scripts/test.sh starts):
#   - the wall time of `deploy --targets` with "parallel": 8 against "parallel": 1 (target: <= 0.2x);
#   - the fleet runner's overhead per target: the fleet's wall time minus the sum of its targets' own
#     pipeline times (from the fleet's JSON report), over N, on N databases with a migration that does
#     not wait (target: <= 50 ms); and beside it the wall time of one single-database `deploy` process.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$bench_dir/../.." && pwd)"
count="${1:-50}"
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"

pg_cluster_log_name=bench-fleet
# shellcheck source=../../scripts/lib/pg-cluster.sh
source "$repo_root/scripts/lib/pg-cluster.sh"
pg_cluster_stop_on_exit
pg_cluster_ensure_bin
pg_cluster_start
export PATH="$pg_bin:$PATH" PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGPASSWORD="$password"

dotnet build "$repo_root/src/ProbeOps.Migrate.Cli" -c Release -v q -nologo >&2
tool=(dotnet "$repo_root/src/ProbeOps.Migrate.Cli/bin/Release/net10.0/probeops-migrate.dll")

work="$(mktemp -d)"
trap 'rm -rf "$work"; pg_cluster_exit_trap' EXIT
mkdir -p "$work/wait/migrations" "$work/quick/migrations"
printf -- '-- down_revision: none\n-- migrate:upgrade\nCREATE TABLE probe (id int);\nSELECT pg_sleep(1);\n' > "$work/wait/migrations/20250101_wait.sql"
printf -- '-- down_revision: none\n-- migrate:upgrade\nCREATE TABLE probe (id int);\n' > "$work/quick/migrations/20250101_quick.sql"

# A targets file over bench_0..bench_N-1 with the given parallelism.
targets() {
  local parallel="$1" i
  printf '{ "parallel": %s, "targets": [\n' "$parallel"
  for ((i = 0; i < count; i++)); do
    printf '  { "name": "bench_%s", "database": "postgres://postgres:${PGPASSWORD}@127.0.0.1:%s/bench_%s" }%s\n' \
      "$i" "$port" "$i" "$([[ $i -lt $((count - 1)) ]] && echo ,)"
  done
  printf '] }\n'
}

fresh_databases() {
  local i
  for ((i = 0; i < count; i++)); do
    dropdb --if-exists "bench_$i"
    createdb "bench_$i"
  done
}

now_ms() { date +%s%3N; }

# Runs a fleet deploy in $1 with parallelism $2; prints its wall time in ms; keeps its JSON in $1/fleet.json.
fleet_deploy() {
  local dir="$1" parallel="$2" start end
  targets "$parallel" > "$dir/targets.json"
  fresh_databases
  start="$(now_ms)"
  (cd "$dir" && "${tool[@]}" deploy --targets targets.json --no-backup --json > fleet.json)
  end="$(now_ms)"
  echo $((end - start))
}

wait8="$(fleet_deploy "$work/wait" 8)"
wait1="$(fleet_deploy "$work/wait" 1)"
quick="$(fleet_deploy "$work/quick" 1)"
pipelines="$(python3 -c 'import json,sys; print(round(sum(t["durationMs"] for t in json.load(open(sys.argv[1]))["targets"])))' "$work/quick/fleet.json")"

dropdb --if-exists bench_single && createdb bench_single
start="$(now_ms)"
(cd "$work/quick" && DATABASE_URL="postgres://postgres:$PGPASSWORD@127.0.0.1:$port/bench_single" "${tool[@]}" deploy --no-backup > /dev/null)
single=$(($(now_ms) - start))

ratio="$(python3 -c "print(f'{$wait8 / $wait1:.3f}')")"
overhead="$(python3 -c "print(f'{($quick - $pipelines) / $count:.1f}')")"
per_target="$(python3 -c "print(f'{$quick / $count:.0f}')")"
verdict() { python3 -c "print('met' if $1 else '**MISSED**')"; }

cat <<MD
## Fleets (\`bench/fleet/run.sh\`)

Run on $(date -u '+%Y-%m-%d %H:%M UTC') from commit \`$(git -C "$repo_root" rev-parse --short HEAD)\`: $count databases on one
throwaway PostgreSQL cluster, the tool run with \`dotnet\` (Release build, not Native AOT), no backups.
Load average (1, 5, 15 min): $load_at_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end, on $(nproc) logical CPUs.

| scenario | target | measured | verdict |
|---|---|---|---|
| $count databases, a migration that waits 1 s: \`parallel: 8\` against \`parallel: 1\` | ≤ 0.2× | $wait8 ms against $wait1 ms = ${ratio}× | $(verdict "$wait8 <= 0.2 * $wait1") |
| fleet runner overhead per target (wall time of a \`parallel: 1\` fleet of $count quick migrations, less the sum of the targets' own pipeline times, over $count) | ≤ 50 ms | ${overhead} ms | $(verdict "$overhead <= 50") |

For scale: that fleet took $quick ms in all, ${per_target} ms a target; one single-database \`deploy\` process of
the same migration took $single ms (most of it the process start-up the fleet pays once).
MD
