#!/usr/bin/env bash
# A concurrent writer's waits during a backfill against during the same change as one UPDATE, measured in one
# run on one machine; writes its section of bench/RESULTS.md.
#
#   bench/backfill_latency.sh [ROWS]     a table of ROWS rows (default 300,000), 3 rounds
#   bench/backfill_latency.sh --smoke    20,000 rows, 1 round; writes bench/.work/backfill-latency/RESULTS.smoke.md
#
# On a throwaway PostgreSQL cluster (scripts/lib/pg-cluster.sh), each round copies a table of ROWS rows twice and
# adds a filled column to each copy with the tool (the Release build of src/ProbeOps.Migrate.Cli): once as one
# UPDATE in an upgrade section, once as a backfill of 5,000 rows a run. Meanwhile pgbench, one client, updates
# random rows of the table, one row a transaction, and logs each write's latency. The change runs from the first
# statement of its upgrade section to the commit of its last transaction (track_commit_timestamp); the
# writes that overlap it are its waits. Target: the longest wait during the backfill is at most a third of the
# longest wait during the one UPDATE. Waits the server logs (lock waits past deadlock_timeout, autovacuum,
# checkpoints) during a change are counted beside the figures.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$bench_dir/.." && pwd)"
rows=300000 rounds=3 mode=full
case "${1:-}" in
  --smoke) rows=20000 rounds=1 mode=smoke ;;
  -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *[!0-9]*) printf 'bench: unknown argument %s (use ROWS, --smoke or nothing)\n' "$1" >&2; exit 2 ;;
  *) rows="$1" ;;
esac
work="$bench_dir/.work/backfill-latency"
rm -rf "$work"
mkdir -p "$work/writes"
started_at=$SECONDS
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
log() { printf 'bench: [%4ss] %s\n' "$((SECONDS - started_at))" "$*" >&2; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "building probeops-migrate (Release)"
dotnet build "$repo_root/src/ProbeOps.Migrate.Cli" -c Release --nologo -v quiet >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; exit 1; }
cli="$repo_root/src/ProbeOps.Migrate.Cli/bin/Release/net10.0/probeops-migrate"

pg_cluster_log_name=bench
# shellcheck source=../scripts/lib/pg-cluster.sh
source "$repo_root/scripts/lib/pg-cluster.sh"
pg_cluster_stop_on_exit
pg_cluster_ensure_bin
pg_cluster_start
# Commit times bound each change; the server's own waits are logged to be counted.
cat >>"$data_dir/postgresql.conf" <<'CONF'
track_commit_timestamp = on
log_lock_waits = on
log_autovacuum_min_duration = 0
log_checkpoints = on
log_line_prefix = '%m [%p] %a: '
log_timezone = 'UTC'
CONF
pg_cluster_as_pg "$pg_bin/pg_ctl" -D "$data_dir" -l "$cluster_dir/server.log" -w -t 60 restart >/dev/null
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGPASSWORD="$password" PGDATABASE=postgres
psql=("$pg_bin/psql" -X -q -A -t -v ON_ERROR_STOP=1)
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, $rows rows"

# The table every change starts from, copied afresh for each (vacuumed, so no change inherits another's dead rows).
"${psql[@]}" -c "CREATE DATABASE items_template"
"${psql[@]}" -d items_template \
  -c "CREATE TABLE items (id bigint PRIMARY KEY, status text NOT NULL, touched int NOT NULL DEFAULT 0)" \
  -c "INSERT INTO items (id, status) SELECT g, CASE WHEN g % 3 = 0 THEN 'down' ELSE 'up' END FROM generate_series(1, $rows) g" \
  -c "CREATE TABLE change_started (at timestamptz NOT NULL)" -c "VACUUM ANALYZE"

# The same change both ways; the first statement of each notes when the change began.
fill="UPDATE items SET is_failure = (status <> 'up')"
mkdir -p "$work/at-once" "$work/batched"
printf -- '-- down_revision: none\n\n-- migrate:upgrade\nINSERT INTO change_started SELECT clock_timestamp();\nALTER TABLE items ADD COLUMN is_failure boolean;\n%s;\n' \
  "$fill" >"$work/at-once/20250101_fill.sql"
printf -- '-- down_revision: none\n\n-- migrate:upgrade\nINSERT INTO change_started SELECT clock_timestamp();\nALTER TABLE items ADD COLUMN is_failure boolean;\n\n-- migrate:backfill\n%s WHERE id IN (SELECT id FROM items WHERE is_failure IS NULL LIMIT 5000);\n' \
  "$fill" >"$work/batched/20250101_fill.sql"
printf '\\set id random(1, %s)\nUPDATE items SET touched = touched + 1 WHERE id = :id;\n' "$rows" >"$work/writer.sql"

# measure ROUND WAY: one change on a fresh copy while pgbench writes; its window goes to windows.tsv.
measure() {
  local round="$1" way="$2" db="r$1_${2//-/_}"
  "${psql[@]}" -c "CREATE DATABASE $db TEMPLATE items_template"
  "$pg_bin/pgbench" -n -c 1 -j 1 -T 600 -f "$work/writer.sql" -l --log-prefix="$work/writes/$db" "$db" \
    >"$work/pgbench-$db.log" 2>&1 &
  local writer=$!
  until [[ "$("${psql[@]}" -d "$db" -c "SELECT EXISTS (SELECT 1 FROM items WHERE touched > 0)")" == t ]]; do sleep 0.05; done
  "$cli" upgrade --database "postgres://postgres@127.0.0.1:$port/$db" --migrations "$work/$way" >"$work/upgrade-$db.log" 2>&1 ||
    { cat "$work/upgrade-$db.log" >&2; log "[$db] the upgrade failed"; exit 1; }
  # pgbench stops once its connection ends; it has written every completed write's latency by then.
  "${psql[@]}" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND application_name = 'pgbench'" >/dev/null
  wait "$writer" || true
  printf '%s\t%s\t%s\t%s\n' "$round" "$way" "$db" "$("${psql[@]}" -F $'\t' -d "$db" -c "
    SELECT extract(epoch FROM (SELECT at FROM change_started)),
           extract(epoch FROM pg_xact_commit_timestamp(xmin)) FROM probeops_schema_history")" >>"$work/windows.tsv"
  log "[$db] $(grep -c . "$work/writes/$db".* | awk -F: '{s += $NF} END {print s}') writes"
}

for ((round = 1; round <= rounds; round++)); do
  # Alternate which goes first, so a change in the machine's load falls on both.
  if ((round % 2)); then ways=(at-once batched); else ways=(batched at-once); fi
  for way in "${ways[@]}"; do measure "$round" "$way"; done
done
cp "$cluster_dir/server.log" "$work/server.log"

if [[ "$mode" == smoke ]]; then results="$work/RESULTS.smoke.md"; else results="$bench_dir/RESULTS.md"; fi
python3 "$bench_dir/backfill_latency.py" "$work" "$results" "$rows" "$rounds" "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$((SECONDS - started_at))"
log "results: $results ($((SECONDS - started_at)) s)"
