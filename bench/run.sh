#!/usr/bin/env bash
# The performance suite: probeops-migrate against the psql floor and peer tools, in one run on one machine.
#
#   bench/run.sh             full run (N = 100, 1,000, 10,000; applying all on PostgreSQL and SQLite at each); writes bench/RESULTS.md
#   bench/run.sh --smoke     N = 20, one run of each scenario (and bench/backfill_latency.sh --smoke); writes bench/.work/RESULTS.smoke.md
#   bench/run.sh --scale     only the scale scenarios (no-op at 1,000 and 10,000, backup and restore at 10 MB,
#                            drift against the recorded schema at 2,000 tables); writes bench/.work/RESULTS.scale.md
#
# Installs what it lacks (hyperfine, GNU time, PostgreSQL with apt-get; dbmate with npm; Evolve and
# BenchmarkDotNet with NuGet), builds the tool as users get it (dotnet publish: Native AOT), starts a
# throwaway PostgreSQL cluster as scripts/test.sh does, generates the corpora, times every scenario with
# hyperfine, measures peak memory with /usr/bin/time -v and runs the in-process BenchmarkDotNet suite.
# Exits non-zero when any scenario fails to run; a missed target is reported in the results, not an error.
set -euo pipefail

bench_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$bench_dir/.." && pwd)"

mode=full
for arg in "$@"; do
  case "$arg" in
    --smoke) mode=smoke ;;
    --scale) mode=scale ;;
    -h | --help)
      sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      printf 'bench: unknown argument %s (use --smoke, --scale or nothing)\n' "$arg" >&2
      exit 2
      ;;
  esac
done

started_at=$SECONDS
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
log() { printf 'bench: [%4ss] %s\n' "$((SECONDS - started_at))" "$*" >&2; }

work="$bench_dir/.work"
results="$work/results-$mode"
mkdir -p "$work"
rm -rf "$results"
mkdir -p "$results"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The tool's caches (the stat cache of migration files, expected schemas) stay inside the work directory.
export PROBEOPS_MIGRATE_CACHE_DIR="$work/cache"

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------
dbmate_version=2.36.0

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if [[ "$apt_updated" -eq 0 ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2
}

command -v hyperfine >/dev/null || { log "installing hyperfine"; apt_install hyperfine; }
[[ -x /usr/bin/time ]] || { log "installing GNU time"; apt_install time; }
command -v python3 >/dev/null || { log "installing python3"; apt_install python3; }
command -v sqlite3 >/dev/null || { log "installing sqlite3"; apt_install sqlite3; }
command -v npm >/dev/null || { log "installing npm"; apt_install npm; }

# dbmate's npm package carries its binary in a platform package; run that binary directly, not the node shim.
dbmate_prefix="$work/tools/dbmate"
find_dbmate() { find "$dbmate_prefix/node_modules/@dbmate" -path "*/bin/dbmate" -type f 2>/dev/null | head -n 1 || true; }
dbmate_bin="$(find_dbmate)"
if [[ -z "$dbmate_bin" ]] || ! "$dbmate_bin" --version 2>/dev/null | grep -q "$dbmate_version"; then
  log "installing dbmate $dbmate_version from npm"
  mkdir -p "$dbmate_prefix"
  npm install --prefix "$dbmate_prefix" --no-audit --no-fund --loglevel=error "dbmate@$dbmate_version" >&2
  dbmate_bin="$(find_dbmate)"
  [[ -n "$dbmate_bin" ]] || { log "dbmate's binary is missing after npm install"; exit 1; }
fi

log "building probeops-migrate, the Evolve peer and the library benchmarks (Release)"
cli_dir="$work/bin/cli"
evolve_dir="$work/bin/evolve"
# As users get it: one native executable (Native AOT) for this machine. Should the native toolchain be
# missing, the framework-dependent ReadyToRun build is measured instead, and the results say so.
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) rid="" ;;
esac
rm -rf "$cli_dir"
if [[ -n "$rid" ]] && dotnet publish "$repo_root/src/ProbeOps.Migrate.Cli" -c Release -r "$rid" -o "$cli_dir" --nologo -v quiet \
  >"$work/build-cli.log" 2>&1; then
  cli_build="Native AOT ($rid)"
else
  cat "$work/build-cli.log" >&2 || true
  log "the native build failed: measuring the framework-dependent ReadyToRun build instead"
  rm -rf "$cli_dir"
  dotnet publish "$repo_root/src/ProbeOps.Migrate.Cli" -c Release -p:PublishAot=false -p:PublishReadyToRun=true -o "$cli_dir" \
    --nologo -v quiet >"$work/build-cli.log" 2>&1 ||
    { cat "$work/build-cli.log" >&2; log "building probeops-migrate failed"; exit 1; }
  cli_build="framework-dependent, ReadyToRun (the native build failed)"
fi
if [[ "$mode" != scale ]]; then
  dotnet publish "$bench_dir/peers/EvolvePeer" -c Release -o "$evolve_dir" --nologo -v quiet >"$work/build-evolve.log" 2>&1 ||
    { cat "$work/build-evolve.log" >&2; log "building the Evolve peer failed"; exit 1; }
  dotnet build "$bench_dir/ProbeOps.Migrate.Benchmarks" -c Release --nologo -v quiet >"$work/build-benchmarks.log" 2>&1 ||
    { cat "$work/build-benchmarks.log" >&2; log "building the benchmarks failed"; exit 1; }
fi
cli="$cli_dir/probeops-migrate"
evolve="$evolve_dir/evolve-peer"
benchmarks_dll="$bench_dir/ProbeOps.Migrate.Benchmarks/bin/Release/net10.0/ProbeOps.Migrate.Benchmarks.dll"

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------
pg_cluster_log_name=bench
# shellcheck source=../scripts/lib/pg-cluster.sh
source "$repo_root/scripts/lib/pg-cluster.sh"
pg_cluster_stop_on_exit
pg_cluster_ensure_bin
pg_cluster_start

# Every tool reaches the server through libpq-style settings; the password only through PGPASSWORD,
# so no command line (and so no hyperfine export) holds it.
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGPASSWORD="$password" PGDATABASE=postgres
psql=("$pg_bin/psql" -X -q -v ON_ERROR_STOP=1)
url() { printf 'postgres://postgres@127.0.0.1:%s/%s' "$port" "$1"; }
log "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

scripts="$work/scripts"
mkdir -p "$scripts"
cat >"$scripts/reset-db.sh" <<EOF
#!/usr/bin/env bash
# Drops and recreates a database, so each timed run starts from an empty one.
set -euo pipefail
PGOPTIONS="-c client_min_messages=warning" "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS \$1 WITH (FORCE)" -c "CREATE DATABASE \$1"
EOF
cat >"$scripts/psql-each.sh" <<EOF
#!/usr/bin/env bash
# The per-file floor: one psql process, one transaction, per migration file.
set -euo pipefail
for f in "\$1"/*.sql; do
  "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -1 -d "\$2" -f "\$f"
done
EOF
cat >"$scripts/sqlite-all.sh" <<'EOF'
#!/usr/bin/env bash
# The SQLite floor: the sqlite3 shell runs every upgrade of a corpus in one transaction.
set -euo pipefail
sqlite3 -bail "$1" <"$2"
EOF
chmod +x "$scripts"/*.sh
reset_db="$scripts/reset-db.sh"

# ---------------------------------------------------------------------------------------------
# Corpora
# ---------------------------------------------------------------------------------------------
if [[ "$mode" == smoke ]]; then
  sizes=(20)
  main_n=20
  big_n=20
elif [[ "$mode" == scale ]]; then
  sizes=(1000 10000)
  main_n=1000
  big_n=10000
else
  sizes=(100 1000 10000)
  main_n=1000
  big_n=10000
fi
generator_hash="$(sha256sum "$bench_dir/gen_corpus.py" | cut -c1-16)"
corpus() { printf '%s/corpus/%s' "$work" "$1"; }
for n in "${sizes[@]}"; do
  dir="$(corpus "$n")"
  if [[ "$(cat "$dir/.generator" 2>/dev/null || true)" != "$generator_hash" ]]; then
    log "generating the corpus of $n migrations"
    python3 "$bench_dir/gen_corpus.py" "$n" "$dir"
    printf '%s\n' "$generator_hash" >"$dir/.generator"
  fi
done

# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------
if [[ "$mode" == smoke ]]; then
  fast_runs=(--runs 1)
elif [[ "$mode" == scale ]]; then
  fast_runs=(--warmup 1 --runs 5)
else
  fast_runs=(--warmup 3 --runs 20)
fi

failures=()
scenario_count=0

# checked_run ID PREPARE -- COMMAND...: counts the scenario, prepares, runs the command once under
#   /usr/bin/time -v (peak memory; its output is shown if it fails). Returns 1 when the scenario failed.
checked_run() {
  local id="$1" prepare="$2"
  shift 3
  scenario_count=$((scenario_count + 1))
  log "[$id]"
  printf '%s\n' "$*" >"$results/$id.cmd"
  if [[ -n "$prepare" ]] && ! bash -c "$prepare" >"$results/$id.prepare.log" 2>&1; then
    cat "$results/$id.prepare.log" >&2
    log "[$id] FAILED to prepare"
    failures+=("$id")
    return 1
  fi
  if ! (cd "$work" && /usr/bin/time -v -o "$results/$id.time" "$@") >"$results/$id.out" 2>&1; then
    tail -n 20 "$results/$id.out" >&2
    log "[$id] FAILED: $*"
    failures+=("$id")
    return 1
  fi
}

# run ID RUNS PREPARE -- COMMAND...
#   One checked run under /usr/bin/time -v (its peak memory and its output, shown if it fails), then
#   hyperfine. RUNS: fast (see above) or once (the checked run is the only one, for scenarios that
#   take minutes). PREPARE is a command line run before each of them ("" for none), untimed.
run() {
  local id="$1" runs="$2" prepare="$3"
  shift 4
  local -a cmd=("$@")
  local -a runs_args=("${fast_runs[@]}")
  checked_run "$id" "$prepare" -- "${cmd[@]}" || return 0

  # Too slow to repeat (a process per file): the checked run is the measurement.
  if [[ "$runs" == once ]]; then
    python3 - "$results/$id.time" "$results/$id.json" "$id" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
h, m, s = (["0"] * 3 + re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1).split(":"))[-3:]
t = int(h) * 3600 + int(m) * 60 + float(s)
user = float(re.search(r"User time \(seconds\): (\S+)", text).group(1))
system = float(re.search(r"System time \(seconds\): (\S+)", text).group(1))
result = {"command": sys.argv[3], "mean": t, "stddev": None, "median": t, "min": t, "max": t,
          "user": user, "system": system, "times": [t], "exit_codes": [0]}
json.dump({"results": [result]}, open(sys.argv[2], "w", encoding="utf-8"))
PY
    return 0
  fi

  local -a hf=(hyperfine -N --style basic "${runs_args[@]}" --export-json "$results/$id.json" --command-name "$id")
  if [[ -n "$prepare" ]]; then hf+=(--prepare "bash -c '$prepare'"); fi
  local quoted
  printf -v quoted '%q ' "${cmd[@]}"
  if ! (cd "$work" && "${hf[@]}" "$quoted") >"$results/$id.hyperfine.log" 2>&1; then
    tail -n 20 "$results/$id.hyperfine.log" >&2
    log "[$id] FAILED under hyperfine"
    failures+=("$id")
  fi
}

# A database left with every migration of the main corpus applied by one tool.
applied_db() {
  local db="$1"
  shift
  "$reset_db" "$db"
  (cd "$work" && "$@") >"$results/setup-$db.log" 2>&1 || {
    cat "$results/setup-$db.log" >&2
    log "could not set up $db"
    failures+=("setup-$db")
  }
}

# run_round ID ROUND PREPARE -- COMMAND...
#   One round of an interleaved scenario. Round 0 is the checked run under /usr/bin/time -v (peak memory,
#   output shown if it fails) and doubles as the warm-up; rounds 1.. are timed by hyperfine, one run each,
#   into ID.roundN.json. merge_rounds ID joins them into ID.json.
run_round() {
  local id="$1" round="$2" prepare="$3"
  shift 4
  local -a cmd=("$@")
  if [[ " ${failures[*]-} " == *" $id "* ]]; then return 0; fi
  if [[ "$round" -eq 0 ]]; then
    checked_run "$id" "$prepare" -- "${cmd[@]}" || true
    return 0
  fi
  local quoted
  printf -v quoted '%q ' "${cmd[@]}"
  if ! (cd "$work" && hyperfine -N --style basic --runs 1 --prepare "bash -c '$prepare'" \
    --export-json "$results/$id.round$round.json" --command-name "$id" "$quoted") >"$results/$id.hyperfine.log" 2>&1; then
    tail -n 20 "$results/$id.hyperfine.log" >&2
    log "[$id] FAILED under hyperfine (round $round)"
    failures+=("$id")
  fi
}

merge_rounds() {
  local id="$1"
  if [[ " ${failures[*]-} " == *" $id "* ]]; then return 0; fi
  python3 - "$results" "$id" <<'PY'
import glob, json, os, statistics, sys
results, scenario = sys.argv[1], sys.argv[2]
rounds = [json.load(open(f, encoding="utf-8"))["results"][0]
          for f in sorted(glob.glob(os.path.join(results, scenario + ".round*.json")))]
times = [t for r in rounds for t in r["times"]]
merged = {"command": scenario, "mean": statistics.mean(times),
          "stddev": statistics.stdev(times) if len(times) > 1 else None,
          "median": statistics.median(times), "min": min(times), "max": max(times),
          "user": statistics.mean(r["user"] for r in rounds), "system": statistics.mean(r["system"] for r in rounds),
          "times": times, "exit_codes": [c for r in rounds for c in r["exit_codes"]]}
json.dump({"results": [merged]}, open(os.path.join(results, scenario + ".json"), "w", encoding="utf-8"))
PY
}

# apply_command ID N: sets cmd to the command of an apply scenario on the corpus of N.
apply_command() {
  local c
  c="$(corpus "$2")"
  case "$1" in
    apply-psql1-*) cmd=("${psql[@]}" -1 -d bench -f "$c/all.sql") ;;
    apply-ours-*) cmd=("$cli" upgrade --database "$(url bench)" --migrations "$c/probeops") ;;
    apply-ourseach-*) cmd=("$cli" upgrade --database "$(url bench)" --migrations "$c/probeops" --transaction per-migration) ;;
    apply-dbmate-*) cmd=(env DBMATE_URL="$(url bench)?sslmode=disable" "$dbmate_bin" -e DBMATE_URL --no-dump-schema --migrations-dir "$c/dbmate/db/migrations" migrate) ;;
    apply-evolveeach-*) cmd=(env EVOLVE_PEER_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench" "$evolve" migrate "$c/evolve" commit-each) ;;
    apply-evolveall-*) cmd=(env EVOLVE_PEER_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench" "$evolve" migrate "$c/evolve" commit-all) ;;
  esac
}

# The scale scenarios: no-op at 1,000 and 10,000, backup and restore at 10 MB, drift against the recorded schema.
# shellcheck source=scale-scenarios.sh
source "$bench_dir/scale-scenarios.sh"

# Everything else; --scale stops at the scale scenarios (the section is not indented, to keep its history readable).
if [[ "$mode" != scale ]]; then

# Apply everything to an empty database: floor, us, peers. Main size, then the small one. The tools take
# turns, one run each per round, so a change in the machine's load falls on all of them alike.
if [[ "$mode" == smoke ]]; then apply_rounds=1; else apply_rounds=5; fi
apply_sizes=("$main_n")
if [[ "$mode" == full ]]; then apply_sizes+=(100); fi
for n in "${apply_sizes[@]}"; do
  fresh="$reset_db bench"
  run "apply-psqleach-$n" once "$fresh" -- "$scripts/psql-each.sh" "$(corpus "$n")/plain" bench
  ids=("apply-psql1-$n" "apply-ours-$n" "apply-ourseach-$n" "apply-dbmate-$n" "apply-evolveeach-$n" "apply-evolveall-$n")
  for round in $(seq 0 "$apply_rounds"); do
    if [[ "$round" -gt 0 ]]; then log "apply $n: round $round of $apply_rounds"; fi
    for id in "${ids[@]}"; do
      apply_command "$id" "$n"
      run_round "$id" "$round" "$fresh" -- "${cmd[@]}"
    done
  done
  for id in "${ids[@]}"; do merge_rounds "$id"; done
done

# Scaling: applying everything at every size, on PostgreSQL and on a SQLite file, each against its floor.
# PostgreSQL at the sizes above is measured there already. A run at 1,000 or more takes seconds to
# minutes, so in a full run its checked run is the measurement.
sqlite_dbs="$work/sqlite"
mkdir -p "$sqlite_dbs"
for n in "${sizes[@]}"; do
  if [[ "$mode" == full && "$n" -ge 1000 ]]; then scale_runs=once; else scale_runs=fast; fi
  db="$sqlite_dbs/bench-$n.db"
  fresh_sqlite="rm -f $db $db-journal"
  run "scale-sqlite3-$n" "$scale_runs" "$fresh_sqlite" -- "$scripts/sqlite-all.sh" "$db" "$(corpus "$n")/all.sqlite.sql"
  run "scale-ourssqlite-$n" "$scale_runs" "$fresh_sqlite" -- "$cli" upgrade --database "sqlite:$db" --migrations "$(corpus "$n")/sqlite"
  if [[ " ${apply_sizes[*]} " != *" $n "* ]]; then
    run "scale-psql1-$n" "$scale_runs" "$reset_db bench" -- "${psql[@]}" -1 -d bench -f "$(corpus "$n")/all.sql"
    run "scale-ours-$n" "$scale_runs" "$reset_db bench" -- "$cli" upgrade --database "$(url bench)" --migrations "$(corpus "$n")/probeops"
  fi
done

# Everything applied: no-op upgrade and status, against databases each tool brought up to date.
c="$(corpus "$main_n")"
applied_db bench_ours "$cli" upgrade --database "$(url bench_ours)" --migrations "$c/probeops"
applied_db bench_dbmate env DBMATE_URL="$(url bench_dbmate)?sslmode=disable" "$dbmate_bin" -e DBMATE_URL --no-dump-schema --migrations-dir "$c/dbmate/db/migrations" migrate
applied_db bench_evolve env EVOLVE_PEER_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench_evolve" "$evolve" migrate "$c/evolve"

run "noop-psql-$main_n" fast "" -- "${psql[@]}" -d bench_ours -c "SELECT 1"
run "noop-ours-$main_n" fast "" -- "$cli" upgrade --database "$(url bench_ours)" --migrations "$c/probeops"
run "noop-dbmate-$main_n" fast "" -- env DBMATE_URL="$(url bench_dbmate)?sslmode=disable" "$dbmate_bin" -e DBMATE_URL --no-dump-schema --migrations-dir "$c/dbmate/db/migrations" migrate
run "noop-evolve-$main_n" fast "" -- env EVOLVE_PEER_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench_evolve" "$evolve" migrate "$c/evolve"

run "status-ours-$main_n" fast "" -- "$cli" status --database "$(url bench_ours)" --migrations "$c/probeops"
run "status-dbmate-$main_n" fast "" -- env DBMATE_URL="$(url bench_dbmate)?sslmode=disable" "$dbmate_bin" -e DBMATE_URL --no-dump-schema --migrations-dir "$c/dbmate/db/migrations" status
run "status-evolve-$main_n" fast "" -- env EVOLVE_PEER_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=bench_evolve" "$evolve" info "$c/evolve"

# validate and lint need no database. lint reads and validates the same files, then checks every statement of
# every revision with what its ancestors did: the ratio of the two is what linting adds.
for n in "${sizes[@]}"; do
  run "validate-ours-$n" fast "" -- "$cli" validate --migrations "$(corpus "$n")/probeops"
  run "lint-ours-$n" fast "" -- "$cli" lint --migrations "$(corpus "$n")/probeops"
done

# Start-up.
run "startup-version" fast "" -- "$cli" --version
run "startup-help" fast "" -- "$cli" --help
run "startup-dbmate" fast "" -- "$dbmate_bin" --version
run "startup-psql" fast "" -- "$pg_bin/psql" --version

# Backup of the database our tool brought up to date, against a bare pg_dump of it.
backups="$work/backups"
mkdir -p "$backups"
run "backup-pgdump-$main_n" fast "rm -f $backups/floor.dump" -- "$pg_bin/pg_dump" -Fc -d bench_ours -f "$backups/floor.dump"
run "backup-ours-$main_n" fast "rm -f $backups/ours.dump $backups/ours.dump.sha256" -- "$cli" backup --database "$(url bench_ours)" --pg-bin-dir "$pg_bin" --output "$backups/ours.dump"

# Backfill throughput: the same bounded UPDATE repeated until it changes no row, by our backfill and by
# psql in a shell loop (one psql per batch, as done by hand). Both start from the same table each time.
if [[ "$mode" == smoke ]]; then backfill_rows=20000; backfill_runs=once; else backfill_rows=1000000; backfill_runs=fast; fi
backfill_batch="UPDATE items SET is_failure = (status <> 'up') WHERE id IN (SELECT id FROM items WHERE is_failure IS NULL LIMIT 5000)"
backfill_dir="$work/backfill/migrations"
mkdir -p "$backfill_dir"
printf -- '-- down_revision: none\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:backfill\n%s;\n' "$backfill_batch" >"$backfill_dir/20250101_backfill.sql"
cat >"$scripts/backfill-prepare.sh" <<EOF
#!/usr/bin/env bash
# A fresh database holding \$2 rows to backfill, with the partial index that keeps each batch from rescanning done rows.
set -euo pipefail
"$reset_db" "\$1"
"$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -d "\$1" \\
  -c "CREATE TABLE items (id bigint PRIMARY KEY, status text NOT NULL, is_failure boolean)" \\
  -c "INSERT INTO items SELECT g, CASE WHEN g % 3 = 0 THEN 'down' ELSE 'up' END FROM generate_series(1, \$2) g" \\
  -c "CREATE INDEX items_to_fill ON items (id) WHERE is_failure IS NULL" -c "VACUUM ANALYZE items"
EOF
cat >"$scripts/backfill-psql.sh" <<EOF
#!/usr/bin/env bash
# The floor: psql runs one batch per process, in a loop, until a batch changes no row.
set -euo pipefail
while [[ "\$("$pg_bin/psql" -X -v ON_ERROR_STOP=1 -d "\$1" -c "\$2")" != "UPDATE 0" ]]; do :; done
EOF
chmod +x "$scripts"/backfill-*.sh
run "backfill-psql-$backfill_rows" "$backfill_runs" "$scripts/backfill-prepare.sh bench_backfill $backfill_rows" -- \
  "$scripts/backfill-psql.sh" bench_backfill "$backfill_batch"
run "backfill-ours-$backfill_rows" "$backfill_runs" "$scripts/backfill-prepare.sh bench_backfill $backfill_rows" -- \
  "$cli" upgrade --database "$(url bench_backfill)" --migrations "$backfill_dir"

# A writer's waits during a backfill against during one UPDATE are measured by a script of their own,
# bench/backfill_latency.sh, which writes its section of RESULTS.md; the smoke run runs it small (20,000 rows,
# one round, its own results file) so that it keeps working.
if [[ "$mode" == smoke ]]; then
  scenario_count=$((scenario_count + 1))
  log "[backfill-latency] bench/backfill_latency.sh --smoke"
  if ! bash "$bench_dir/backfill_latency.sh" --smoke >"$results/backfill-latency.log" 2>&1; then
    tail -n 20 "$results/backfill-latency.log" >&2
    log "[backfill-latency] FAILED"
    failures+=("backfill-latency")
  fi
fi

# ---------------------------------------------------------------------------------------------
# In-process benchmarks
# ---------------------------------------------------------------------------------------------
log "BenchmarkDotNet: parser, splitter, graph, planner"
bdn_args=("$results/bdn")
if [[ "$mode" == smoke ]]; then bdn_args+=(--smoke); fi
scenario_count=$((scenario_count + 1))
if ! dotnet "$benchmarks_dll" "${bdn_args[@]}" >"$results/bdn.log" 2>&1; then
  tail -n 30 "$results/bdn.log" >&2
  log "[bdn] FAILED"
  failures+=("bdn")
fi

fi # mode != scale

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
{
  printf 'cpus: %s\n' "$(nproc)"
  printf 'cpu: %s\n' "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"
  printf 'memory: %s\n' "$(free -h | awk '/^Mem:/ {print $2}')"
  printf 'os: %s\n' "$(. /etc/os-release && printf '%s' "$PRETTY_NAME"), kernel $(uname -r)"
  printf 'postgresql: %s\n' "$("$pg_bin/postgres" --version | awk '{print $3}')"
  printf 'build: %s\n' "$cli_build"
  printf 'dotnet: %s\n' "$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App/ {v=$2} END {print v}')"
  printf 'dbmate: %s\n' "$("$dbmate_bin" --version | awk '{print $3}')"
  printf 'evolve: %s\n' "$(sed -n 's/.*PackageVersion Include="Evolve" Version="\([^"]*\)".*/\1/p' "$repo_root/Directory.Packages.props")"
  printf 'benchmarkdotnet: %s\n' "$(sed -n 's/.*PackageVersion Include="BenchmarkDotNet" Version="\([^"]*\)".*/\1/p' "$repo_root/Directory.Packages.props")"
  printf 'hyperfine: %s\n' "$(hyperfine --version | awk '{print $2}')"
  printf 'commit: %s\n' "$(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  printf 'main_n: %s\n' "$main_n"
  printf 'big_n: %s\n' "$big_n"
  printf 'backfill_rows: %s\n' "${backfill_rows:-0}"
  printf 'mode: %s\n' "$mode"
  printf 'elapsed_s: %s\n' "$((SECONDS - started_at))"
  printf 'load: %s at the start, %s at the end\n' "$load_at_start" "$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$results/machine.txt"

case "$mode" in
  smoke) report="$work/RESULTS.smoke.md" ;;
  scale) report="$work/RESULTS.scale.md" ;;
  *) report="$bench_dir/RESULTS.md" ;;
esac
python3 "$bench_dir/report.py" "$results" "$report" "${failures[@]}"
log "results: $report ($((SECONDS - started_at)) s)"

if [[ "${#failures[@]}" -gt 0 ]]; then
  log "${#failures[@]} of $scenario_count scenarios failed to run: ${failures[*]}"
  exit 1
fi
log "all $scenario_count scenarios ran"
