# shellcheck shell=bash
# A throwaway PostgreSQL cluster, shared by scripts/test.sh and bench/run.sh. Sourced, not run.
#
#   pg_cluster_log_name=myscript.sh     # prefix of the lines this file logs (default: pg-cluster)
#   source scripts/lib/pg-cluster.sh
#   pg_cluster_stop_on_exit             # stops the cluster however the script ends (exit, Ctrl-C, TERM)
#   pg_cluster_ensure_bin               # sets pg_bin; installs the postgresql package if initdb is missing
#   pg_cluster_start                    # sets cluster_dir, data_dir, port, password, cluster_started
#
# The cluster lives in a temporary directory, listens on 127.0.0.1 only, on a port the OS picks,
# with a random superuser password (user postgres, scram-sha-256). pg_cluster_stop stops it and
# deletes the directory. Any failure to set it up exits the calling script with status 1.

pg_cluster_log() { printf '%s: %s\n' "${pg_cluster_log_name:-pg-cluster}" "$*" >&2; }

pg_cluster_find_bin() {
  local initdb
  initdb="$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$initdb" ]]; then dirname "$initdb"; fi
}

pg_cluster_as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# initdb and postgres refuse to run as root: run them as the postgres OS user then.
pg_cluster_as_pg() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_cluster_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
    perl -MIO::Socket::INET -e 'my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0) or die; print $s->sockport, "\n"' 2>/dev/null ||
    echo $((20000 + RANDOM % 40000))
}

pg_cluster_ensure_bin() {
  pg_bin="$(pg_cluster_find_bin)"
  if [[ -z "$pg_bin" ]]; then
    pg_cluster_log "PostgreSQL server binaries not found: installing the postgresql package"
    pg_cluster_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    pg_cluster_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
    pg_bin="$(pg_cluster_find_bin)"
    if [[ -z "$pg_bin" ]]; then
      pg_cluster_log "initdb is still missing after installing postgresql"
      exit 1
    fi
  fi
}

cluster_dir=""
data_dir=""
cluster_started=0

pg_cluster_start() {
  # As root the postgres user must reach the directory: /tmp, not a private TMPDIR.
  local tmp_parent
  if [[ "$(id -u)" -eq 0 ]]; then tmp_parent=/tmp; else tmp_parent="${TMPDIR:-/tmp}"; fi
  cluster_dir="$(mktemp -d "$tmp_parent/probeops-pg.XXXXXX")"
  data_dir="$cluster_dir/data"

  if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres:postgres "$cluster_dir"
  fi
  chmod 700 "$cluster_dir"

  # URL-safe, so it needs no percent-encoding in the connection URL.
  password="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  local pwfile="$cluster_dir/pwfile"
  printf '%s\n' "$password" >"$pwfile"
  if [[ "$(id -u)" -eq 0 ]]; then chown postgres:postgres "$pwfile"; fi
  chmod 600 "$pwfile"

  pg_cluster_as_pg "$pg_bin/initdb" -D "$data_dir" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C --no-sync >"$cluster_dir/initdb.log" 2>&1 || {
    cat "$cluster_dir/initdb.log" >&2
    pg_cluster_log "initdb failed"
    exit 1
  }
  rm -f "$pwfile"

  # Password logins only, over TCP on the loopback address (and the private socket for pg_ctl).
  cat >"$data_dir/pg_hba.conf" <<'HBA'
local all all scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
HBA

  # Durability is pointless for a cluster deleted after the run.
  cat >>"$data_dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster_dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

  # The OS-picked port is free when picked, but another process may take it before the
  # server binds it: try a few.
  port=""
  local _
  for _ in 1 2 3 4 5; do
    port="$(pg_cluster_free_port)"
    if pg_cluster_as_pg "$pg_bin/pg_ctl" -D "$data_dir" -l "$cluster_dir/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
      cluster_started=1
      break
    fi
    pg_cluster_log "server did not start on port $port, trying another"
  done
  if [[ "$cluster_started" -ne 1 ]]; then
    cat "$cluster_dir/server.log" >&2 || true
    pg_cluster_log "could not start the throwaway PostgreSQL cluster"
    exit 1
  fi
}

# Traps that stop the cluster on exit, keeping the script's exit status; INT and TERM exit 130 and 143.
pg_cluster_stop_on_exit() {
  trap 'pg_cluster_exit_trap' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

pg_cluster_exit_trap() {
  local rc=$?
  pg_cluster_stop
  exit "$rc"
}

# Safe to call at any point, and more than once.
pg_cluster_stop() {
  if [[ "$cluster_started" -eq 1 ]]; then
    pg_cluster_as_pg "$pg_bin/pg_ctl" -D "$data_dir" -m immediate -w stop >/dev/null 2>&1 || true
    cluster_started=0
  fi
  if [[ -n "$cluster_dir" ]]; then
    rm -rf "$cluster_dir"
    cluster_dir=""
  fi
}
