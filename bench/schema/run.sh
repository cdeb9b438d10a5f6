#!/usr/bin/env bash
# Reads and compares a 2,000-table schema with probeops-migrate and dumps it with
# pg_dump --schema-only, on the same database in the same run; prints time and round trips.
#
#   bench/schema/run.sh [TABLES]
#
# The server: PROBEOPS_BENCH_PG_URL (a role that may create databases), else a throwaway
# cluster started here like scripts/test.sh does (127.0.0.1, random port and password,
# deleted on exit). pg_dump: PROBEOPS_BENCH_PG_DUMP, else the cluster's, else PATH.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tables="${1:-2000}"

if [[ -z "${PROBEOPS_BENCH_PG_URL:-}" ]]; then
  pg_bin="$(dirname "$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)")"
  if [[ ! -x "$pg_bin/initdb" ]]; then
    echo "run.sh: set PROBEOPS_BENCH_PG_URL or install the postgresql package" >&2
    exit 1
  fi

  if [[ "$(id -u)" -eq 0 ]]; then as_pg() { runuser -u postgres -- "$@"; }; parent=/tmp; else as_pg() { "$@"; }; parent="${TMPDIR:-/tmp}"; fi
  cluster="$(mktemp -d "$parent/probeops-bench.XXXXXX")"
  started=0
  cleanup() {
    if [[ "$started" -eq 1 ]]; then as_pg "$pg_bin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$cluster"
  }
  trap cleanup EXIT
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres:postgres "$cluster"; fi
  password="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '%s\n' "$password" >"$cluster/pw"
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres "$cluster/pw"; fi
  as_pg "$pg_bin/initdb" -D "$cluster/data" -U postgres --pwfile="$cluster/pw" --auth=scram-sha-256 -E UTF8 --locale=C --no-sync >/dev/null
  printf 'host all all 127.0.0.1/32 scram-sha-256\nlocal all all scram-sha-256\n' >"$cluster/data/pg_hba.conf"
  printf "listen_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nfsync = off\n" "$cluster" >>"$cluster/data/postgresql.conf"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_pg "$pg_bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -o "-p $port" -w start >/dev/null
  started=1
  export PROBEOPS_BENCH_PG_URL="postgres://postgres:$password@127.0.0.1:$port/postgres"
  export PROBEOPS_BENCH_PG_DUMP="${PROBEOPS_BENCH_PG_DUMP:-$pg_bin/pg_dump}"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet run --project "$here/SchemaBench.csproj" -c Release -- "$PROBEOPS_BENCH_PG_URL" "$tables"
