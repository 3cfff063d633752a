#!/usr/bin/env bash
# up | down | status for the three backing services. `up` installs what is missing first and
# is idempotent: services already running are left as they are. Under TOPOLOGY=cluster, those
# of the clustered topology (cluster.sh), so that every caller (make, the tests) gets that stack.
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"
[ "${TOPOLOGY:-}" != cluster ] || exec "$here/cluster.sh" "$@"
case "${1:?usage: services.sh up|down|status}" in
  up)
    "$here/install.sh"
    "$here/postgres.sh" start
    "$here/rabbitmq.sh" start   # before MinIO, so its AMQP target connects at once
    "$here/minio.sh" start
    ;;
  down)
    "$here/minio.sh" stop
    "$here/rabbitmq.sh" stop
    "$here/postgres.sh" stop
    ;;
  status)
    rc=0
    for s in postgres rabbitmq minio; do "$here/$s.sh" status || rc=1; done
    exit $rc
    ;;
esac
