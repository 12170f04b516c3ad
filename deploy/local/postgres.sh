# A PostgreSQL server from Debian's binaries on a data directory and port of OptBench's own,
# run as an unprivileged user because PostgreSQL refuses to run as root.
# shellcheck shell=bash

OPTBENCH_PG_PORT=${OPTBENCH_PG_PORT:-15432}
OPTBENCH_DB_NAME=${OPTBENCH_DB_NAME:-optbench}
OPTBENCH_DB_USER=${OPTBENCH_DB_USER:-optbench}

# The data lives in the state directory unless the unprivileged account cannot reach it (a checkout
# under /root, say); then it lives under /var/lib/optbench, keyed by the state directory's path.
postgres_dir() {
  local dir="$OPTBENCH_HOME/postgres"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u "$(postgres_os_user)" -- test -x "$OPTBENCH_HOME" 2>/dev/null; then
    dir="/var/lib/optbench/$(printf '%s' "$OPTBENCH_HOME" | sha256sum | cut -c1-12)/postgres"
  fi
  mkdir -p "$dir"
  printf '%s\n' "$dir"
}

postgres_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/postgres" ]; then
    [ "$(id -u)" -eq 0 ] || fail "PostgreSQL's server is not installed; run: sudo apt-get install -y postgresql"
    say "installing Debian's postgresql package (apt-get)"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } \
      >"$OPTBENCH_HOME/apt-postgresql.log" 2>&1 || fail "apt-get install postgresql failed; see $OPTBENCH_HOME/apt-postgresql.log"
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  printf '%s\n' "$dir"
}

# The account the server runs as: the current user, or an unprivileged one when we are root.
postgres_os_user() {
  if [ "$(id -u)" -ne 0 ]; then
    id -un
  elif id postgres >/dev/null 2>&1; then
    echo postgres
  else
    id optbench >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin optbench
    echo optbench
  fi
}

as_postgres_user() {
  local user
  user=$(postgres_os_user)
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

postgres_running() {
  local dir
  dir=$(postgres_dir)
  [ -f "$dir/data/postmaster.pid" ] && as_postgres_user "$(postgres_bin_dir)/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

postgres_start() {
  local dir bin user log started
  dir=$(postgres_dir)
  log="$dir/postgres.log"
  bin=$(postgres_bin_dir)
  user=$(postgres_os_user)
  mkdir -p "$dir/run"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$user" "$dir" "$dir/run"
    touch "$log" && chown "$user" "$log"
  fi
  if postgres_running; then
    say "PostgreSQL already runs on 127.0.0.1:$OPTBENCH_PG_PORT"
    return 0
  fi
  port_in_use "$OPTBENCH_PG_PORT" && fail "port $OPTBENCH_PG_PORT is taken by another program; set OPTBENCH_PG_PORT"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    local password_file="$dir/run/pwfile"
    printf '%s\n' "$OPTBENCH_DB_PASSWORD" >"$password_file"
    [ "$(id -u)" -eq 0 ] && chown "$user" "$password_file"
    as_postgres_user "$bin/initdb" -D "$dir/data" -U "$OPTBENCH_DB_USER" --pwfile="$password_file" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >>"$log" 2>&1 \
      || { rm -f "$password_file"; fail "initdb failed; see $log"; }
    rm -f "$password_file"
  fi
  started=$(date +%s%N)
  as_postgres_user "$bin/pg_ctl" start -D "$dir/data" -l "$log" -w -t 60 \
    -o "-p $OPTBENCH_PG_PORT -c listen_addresses=127.0.0.1 -k $dir/run -c max_connections=200 -c fsync=${OPTBENCH_PG_FSYNC:-on}" \
    >/dev/null 2>&1 || fail "PostgreSQL did not start; see $log"
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$OPTBENCH_PG_PORT"; do sleep 0.1; done
  if ! PGPASSWORD=$OPTBENCH_DB_PASSWORD "$bin/psql" -h 127.0.0.1 -p "$OPTBENCH_PG_PORT" -U "$OPTBENCH_DB_USER" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$OPTBENCH_DB_NAME'" | grep -q 1; then
    PGPASSWORD=$OPTBENCH_DB_PASSWORD "$bin/createdb" -h 127.0.0.1 -p "$OPTBENCH_PG_PORT" -U "$OPTBENCH_DB_USER" "$OPTBENCH_DB_NAME" >>"$log" 2>&1 \
      || fail "could not create database $OPTBENCH_DB_NAME; see $log"
  fi
  say "PostgreSQL ready on 127.0.0.1:$OPTBENCH_PG_PORT in $(( ($(date +%s%N) - started) / 1000000 )) ms (database $OPTBENCH_DB_NAME, log $log)"
}

postgres_stop() {
  local dir bin
  dir=$(postgres_dir)
  [ -f "$dir/data/postmaster.pid" ] || return 0
  bin=$(postgres_bin_dir)
  as_postgres_user "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 60 >/dev/null 2>&1 || true
  say "PostgreSQL stopped"
}

postgres_status() {
  local dir pid
  dir=$(postgres_dir)
  pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
  if pid_alive "$pid"; then
    echo "postgres     up    pid $pid  127.0.0.1:$OPTBENCH_PG_PORT/$OPTBENCH_DB_NAME"
  else
    echo "postgres     down"
  fi
}
