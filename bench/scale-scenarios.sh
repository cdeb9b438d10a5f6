# shellcheck shell=bash
# The scale scenarios of bench/run.sh (sourced by it, not run): costs that must not grow with the size of the
# project. Each group runs interleaved, one run of each command per round, and the 1-minute load average is noted
# before each run (ID.load), since this machine is shared.
#
#   no-op `upgrade` and `status` with 1,000 and 10,000 migrations applied, against `psql -c 'SELECT 1'`
#   `backup` of a 10 MB database against `pg_dump -Fc`; `restore` of it against `pg_restore --single-transaction`
#   `drift --method recorded` at 2,000 tables against `pg_dump --schema-only`

if [[ "$mode" == smoke ]]; then
  scale_rounds=1 scale_sizes=("$main_n") filler_rows=5000 drift_n=20
else
  scale_rounds=5 scale_sizes=("$main_n" "$big_n") filler_rows=100000 drift_n=2000
fi

declare -A scale_cmds

# scale_group PREPARE ID...: the commands of scale_cmds[ID] (shell words), interleaved over the rounds.
scale_group() {
  local prepare="$1" round id
  shift
  for round in $(seq 0 "$scale_rounds"); do
    for id in "$@"; do
      eval "local -a cmd=(${scale_cmds[$id]})"
      if [[ "$round" -gt 0 ]]; then cut -d' ' -f1 /proc/loadavg >>"$results/$id.load"; fi
      run_round "$id" "$round" "$prepare" -- "${cmd[@]}"
    done
  done
  for id in "$@"; do merge_rounds "$id"; done
}

q() { printf '%q ' "$@"; }

for n in "${scale_sizes[@]}"; do
  db="bench_noop_$n"
  # A transaction per migration: 10,000 tables and their indexes in one transaction outgrow the default lock table.
  applied_db "$db" "$cli" upgrade --database "$(url "$db")" --migrations "$(corpus "$n")/probeops" --transaction per-migration
  scale_cmds["noopscale-psql-$n"]="$(q "${psql[@]}" -d "$db" -c "SELECT 1")"
  scale_cmds["noopscale-upgrade-$n"]="$(q "$cli" upgrade --database "$(url "$db")" --migrations "$(corpus "$n")/probeops")"
  scale_cmds["noopscale-status-$n"]="$(q "$cli" status --database "$(url "$db")" --migrations "$(corpus "$n")/probeops")"
  log "no-op at $n: $scale_rounds rounds"
  scale_group "" "noopscale-psql-$n" "noopscale-upgrade-$n" "noopscale-status-$n"
done

# A database of about 10 MB of rows (in smoke mode much less), brought there by the tool so it has a history.
filler_dir="$work/filler/migrations"
mkdir -p "$filler_dir"
printf -- '-- down_revision: none\n\n-- migrate:upgrade\nCREATE TABLE filler AS SELECT g AS id, md5(g::text) AS a, md5((g * 7)::text) AS b, now() AS at FROM generate_series(1, %s) g;\n' \
  "$filler_rows" >"$filler_dir/20250101_filler.sql"
applied_db bench_data "$cli" upgrade --database "$(url bench_data)" --migrations "$filler_dir"
scale_backups="$work/scale-backups"
rm -rf "$scale_backups" && mkdir -p "$scale_backups"  # the backup command never overwrites: start from nothing
scale_cmds[backupscale-pgdump]="$(q "$pg_bin/pg_dump" -Fc -d bench_data -f "$scale_backups/floor.dump")"
scale_cmds[backupscale-ours]="$(q "$cli" backup --database "$(url bench_data)" --pg-bin-dir "$pg_bin" --output "$scale_backups/ours.dump")"
log "backup at $filler_rows rows: $scale_rounds rounds"
scale_group "rm -f $scale_backups/floor.dump $scale_backups/ours.dump $scale_backups/ours.dump.sha256 $scale_backups/ours.schema.json" backupscale-pgdump backupscale-ours

# Restore the backups just taken into a fresh database each run.
"$cli" backup --database "$(url bench_data)" --pg-bin-dir "$pg_bin" --output "$scale_backups/restore.dump" >"$results/setup-restore.log" 2>&1
"$pg_bin/pg_dump" -Fc -d bench_data -f "$scale_backups/restore-floor.dump"
scale_cmds[restorescale-pgrestore]="$(q "$pg_bin/pg_restore" --single-transaction -d bench_restore "$scale_backups/restore-floor.dump")"
scale_cmds[restorescale-ours]="$(q "$cli" restore "$scale_backups/restore.dump" --confirm bench_restore --database "$(url bench_restore)" --pg-bin-dir "$pg_bin")"
log "restore at $filler_rows rows: $scale_rounds rounds"
scale_group "$reset_db bench_restore" restorescale-pgrestore restorescale-ours

# Drift against the schema the tool recorded after its last change: a catalog read and a comparison, no replay.
drift_corpus="$(corpus "$drift_n")"
if [[ "$(cat "$drift_corpus/.generator" 2>/dev/null || true)" != "$generator_hash" ]]; then
  python3 "$bench_dir/gen_corpus.py" "$drift_n" "$drift_corpus"
  printf '%s\n' "$generator_hash" >"$drift_corpus/.generator"
fi
applied_db bench_drift "$cli" upgrade --database "$(url bench_drift)" --migrations "$drift_corpus/probeops"
scale_cmds[driftscale-pgdump]="$(q "$pg_bin/pg_dump" --schema-only -d bench_drift -f /dev/null)"
scale_cmds[driftscale-ours]="$(q "$cli" drift --method recorded --database "$(url bench_drift)" --migrations "$drift_corpus/probeops")"
log "drift at $drift_n tables: $scale_rounds rounds"
scale_group "" driftscale-pgdump driftscale-ours
