#!/usr/bin/env bash
# The entrypoint of the streaming replica of docker-compose.cluster.yml (same image as the
# primary). On an empty volume it first copies the primary with pg_basebackup -R (which leaves
# standby.signal and the connection to the primary in the data folder) through a physical
# replication slot of its own, so the primary keeps the WAL the replica has not received yet
# (up to the primary's max_slot_wal_keep_size). Then it is the image's entrypoint, which finds
# the data folder initialised: a hot standby, read-only, that the query API reads users from.
#
# Settings: POSTGRES_PRIMARY_HOST, POSTGRES_PRIMARY_PORT (5432), POSTGRES_REPLICATION_USER,
# POSTGRES_REPLICATION_PASSWORD, POSTGRES_REPLICATION_SLOT; the arguments are postgres'.
set -euo pipefail
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_PRIMARY_HOST:?}" "${POSTGRES_REPLICATION_USER:?}" "${POSTGRES_REPLICATION_PASSWORD:?}" "${POSTGRES_REPLICATION_SLOT:?}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # libpq's key='value' quoting: backslash and quote escaped.
  quote() { local v=${1//\\/\\\\}; printf "'%s'" "${v//\'/\\\'}"; }
  primary="host=$(quote "$POSTGRES_PRIMARY_HOST") port=$(quote "${POSTGRES_PRIMARY_PORT:-5432}")"
  primary+=" user=$(quote "$POSTGRES_REPLICATION_USER") password=$(quote "$POSTGRES_REPLICATION_PASSWORD")"
  until pg_isready -q -d "$primary dbname=postgres"; do
    echo "userpipe: waiting for the primary at $POSTGRES_PRIMARY_HOST"
    sleep 1
  done
  # The slot outlives a replica whose volume was removed: then take it over instead of creating it.
  slot_exists=$(psql -d "$primary dbname=postgres" -v ON_ERROR_STOP=1 -qtA -v slot="$POSTGRES_REPLICATION_SLOT" \
    <<<"SELECT count(*) FROM pg_replication_slots WHERE slot_name = :'slot';")
  create_slot=(--create-slot)
  [ "$slot_exists" = 0 ] || create_slot=()
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  echo "userpipe: copying the primary into $PGDATA (pg_basebackup)"
  gosu postgres pg_basebackup --dbname="$primary application_name=$(quote "$POSTGRES_REPLICATION_SLOT")" \
    --pgdata="$PGDATA" --write-recovery-conf --wal-method=stream --checkpoint=fast \
    --slot="$POSTGRES_REPLICATION_SLOT" "${create_slot[@]}"
fi
unset POSTGRES_REPLICATION_PASSWORD
exec docker-entrypoint.sh "$@"
