#!/usr/bin/env bash
# start | stop | status | pid for a PostgreSQL instance on loopback, data under the state folder:
# the stack's own, which under TOPOLOGY=cluster is the clustered topology's primary (lib.sh points
# the state folder and POSTGRES_PORT there), or with USERPIPE_POSTGRES_REPLICA=1 (cluster.sh)
# that primary's streaming replica, read-only, on CLUSTER_POSTGRES_REPLICA_PORT.
source "$(dirname "$0")/lib.sh"

if [ -n "${USERPIPE_POSTGRES_REPLICA:-}" ]; then
  [ "${TOPOLOGY:-}" = cluster ] || die "the Postgres replica belongs to the clustered topology (TOPOLOGY=cluster)"
  NAME=postgres-replica
  PORT="$CLUSTER_POSTGRES_REPLICA_PORT"
  WHAT="postgres replica"
else
  NAME=postgres
  PORT="$POSTGRES_PORT"
  WHAT=postgres
  [ "${TOPOLOGY:-}" != cluster ] || WHAT="postgres primary"
fi
DATA="$STATE_DIR/$NAME/data"
RUN="$STATE_DIR/$NAME/run"
LOGFILE="$STATE_DIR/$NAME.log"
# The primary's, seen from its replica.
PRIMARY_RUN="$STATE_DIR/postgres/run"
# The replica streams from this physical slot, so the primary keeps the WAL it has yet to receive.
SLOT=userpipe_replica
BIN="$(pg_bin_dir)" || die "PostgreSQL is not installed (run infra/local/install.sh)"

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; }

psql_admin() { psql_in postgres "$@"; }
psql_in() { local db=$1; shift; as_service_user "$BIN/psql" -h "$RUN" -p "$PORT" -U postgres -d "$db" -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_primary() { as_service_user "$BIN/psql" -h "$PRIMARY_RUN" -p "$POSTGRES_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

start() {
  mkdir -p "$STATE_DIR/$NAME" "$RUN"
  touch "$LOGFILE"
  [ "$(id -u)" = 0 ] && chown -R postgres "$STATE_DIR/$NAME" "$LOGFILE"
  local options="-h 127.0.0.1 -p $PORT -k $RUN -c max_connections=300 -c fsync=${POSTGRES_FSYNC:-on}"
  if [ "$NAME" = postgres-replica ]; then
    # standby.signal is written last, so a copy without it was interrupted.
    [ -f "$DATA/standby.signal" ] || copy_primary
    # Its name is how the primary's pg_stat_replication shows it.
    options+=" -c hot_standby=on -c cluster_name=userpipe-replica"
  elif [ ! -f "$DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL in $DATA"
    as_service_user "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! ready; then
    wait_port_free "$PORT" "$WHAT"
    log "starting $WHAT on 127.0.0.1:$PORT"
    (close_inherited_fds; as_service_user "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 start -o "$options" >/dev/null)
  fi
  wait_until 60 "$WHAT" ready
  # The replica's roles, databases and functions are the primary's, replicated.
  [ "$NAME" = postgres ] || return 0
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

# The replica's first start: a copy of the running primary (pg_basebackup -R: it then streams
# from the primary through the slot, as a standby).
copy_primary() {
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT" || die "the primary (127.0.0.1:$POSTGRES_PORT) must run before its replica is made"
  log "copying the primary into $DATA (pg_basebackup, streaming through the slot $SLOT)"
  rm -rf "$DATA"
  # The slot of an earlier replica whose copy is gone would keep WAL for nobody; -C makes it anew.
  psql_primary -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$SLOT' AND NOT active" >/dev/null
  as_service_user "$BIN/pg_basebackup" -h "$PRIMARY_RUN" -p "$POSTGRES_PORT" -U postgres -D "$DATA" \
    -R -X stream -C -S "$SLOT" -c fast >/dev/null
}

stop() {
  if [ -f "$DATA/postmaster.pid" ]; then
    log "stopping $WHAT"
    as_service_user "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
  fi
}

status() {
  ready || { echo "$WHAT: down"; return 1; }
  if [ "$NAME" = postgres-replica ]; then
    # As the primary sees it: how far behind the replica's replay is, in bytes and time.
    local lag
    lag=$(psql_primary -F ' ' -c "SELECT state, coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::text, '?'), coalesce(replay_lag::text, '0')
      FROM pg_stat_replication WHERE application_name = 'userpipe-replica'" 2>/dev/null || true)
    if [ -n "$lag" ]; then
      read -r state bytes seconds <<<"$lag"
      echo "$WHAT: up on 127.0.0.1:$PORT, $state, $bytes bytes behind the primary (replay lag $seconds)"
    else
      echo "$WHAT: up on 127.0.0.1:$PORT, not streaming from the primary"; return 1
    fi
  else
    echo "$WHAT: up on 127.0.0.1:$PORT"
  fi
}

# The postmaster's OS pid, for a test that kills it.
pid() { ready && head -n 1 "$DATA/postmaster.pid" || die "$WHAT does not run"; }

"${1:?usage: postgres.sh start|stop|status|pid}"
