#!/usr/bin/env bash
# start | stop | status for a PostgreSQL instance on loopback, data under the state folder.
source "$(dirname "$0")/lib.sh"

DATA="$STATE_DIR/postgres/data"
RUN="$STATE_DIR/postgres/run"
LOGFILE="$STATE_DIR/postgres.log"
BIN="$(pg_bin_dir)" || die "PostgreSQL is not installed (run infra/local/install.sh)"

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT"; }

psql_admin() { psql_in postgres "$@"; }
psql_in() { local db=$1; shift; as_service_user "$BIN/psql" -h "$RUN" -p "$POSTGRES_PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 -qtA "$@"; }

start() {
  mkdir -p "$STATE_DIR/postgres" "$RUN"
  touch "$LOGFILE"
  [ "$(id -u)" = 0 ] && chown -R postgres "$STATE_DIR/postgres" "$LOGFILE"
  if [ ! -f "$DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL in $DATA"
    as_service_user "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! ready; then
    log "starting PostgreSQL on 127.0.0.1:$POSTGRES_PORT"
    (close_inherited_fds; as_service_user "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start \
      -o "-h 127.0.0.1 -p $POSTGRES_PORT -k $RUN -c max_connections=300 -c fsync=${POSTGRES_FSYNC:-on}" >/dev/null)
  fi
  wait_until 60 PostgreSQL ready
  # The application role may create databases so the tests can give each suite its own; it is
  # a member of userpipe_writer, which alone may take advisory locks and call pg_notify. The
  # query API's role only reads (its grants come with the migrations).
  psql_admin <<SQL
SELECT format('CREATE ROLE %I LOGIN CREATEDB', '$POSTGRES_USER')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$POSTGRES_USER') \gexec
ALTER ROLE "$POSTGRES_USER" PASSWORD '$POSTGRES_PASSWORD';
SELECT 'CREATE ROLE userpipe_writer NOLOGIN'
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'userpipe_writer') \gexec
SELECT format('GRANT userpipe_writer TO %I', '$POSTGRES_USER')
  WHERE NOT pg_has_role('$POSTGRES_USER', 'userpipe_writer', 'MEMBER') \gexec
SELECT 'CREATE ROLE userpipe_reader NOLOGIN'
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'userpipe_reader') \gexec
SELECT format('CREATE ROLE %I LOGIN IN ROLE userpipe_reader', '$QUERY_POSTGRES_USER')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$QUERY_POSTGRES_USER') \gexec
ALTER ROLE "$QUERY_POSTGRES_USER" PASSWORD '$QUERY_POSTGRES_PASSWORD';
SQL
  # Before the application database is created from template1, and in it (it may be older).
  psql_in template1 <"$ROOT/infra/postgres/lock-down-functions.sql"
  psql_admin <<SQL
SELECT format('CREATE DATABASE %I OWNER %I', '$POSTGRES_DB', '$POSTGRES_USER')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_DB') \gexec
SQL
  psql_in "$POSTGRES_DB" <"$ROOT/infra/postgres/lock-down-functions.sql"
}

stop() {
  if [ -f "$DATA/postmaster.pid" ]; then
    log "stopping PostgreSQL"
    as_service_user "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
  fi
}

status() { ready && echo "postgres: up on 127.0.0.1:$POSTGRES_PORT" || { echo "postgres: down"; return 1; }; }

"${1:?usage: postgres.sh start|stop|status}"
