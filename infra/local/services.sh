#!/usr/bin/env bash
# up [SERVICE...] | down | status for the three backing services. `up` installs what is missing
# first and is idempotent: services already running are left as they are. Under TOPOLOGY=cluster,
# those of the clustered topology (cluster.sh), so that every caller (make, the tests) gets that stack.
#
# `up` names the services its caller needs (postgres, rabbitmq, minio; all three when none is
# named). When each of them answers on its port and the stack was last brought up by these
# scripts with these settings, `up` returns at once: a full pass costs seconds even with nothing
# to start (rabbitmqctl calls, MinIO's provisioning), which a command a person runs should not
# wait for. Otherwise it brings up all three, as it always did.
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"
[ "${TOPOLOGY:-}" != cluster ] || exec "$here/cluster.sh" "$@"

# What the last full `up` was made from: the scripts that start and provision the services, the
# binaries, and the settings as the scripts see them (the environment over .env).
UP_WITH="$STATE_DIR/up-with"
fingerprint() {
  local key
  {
    cat "$here"/*.sh "$ROOT"/infra/rabbitmq/users.sh "$ROOT"/infra/rabbitmq/rabbitmq.conf \
      "$ROOT"/infra/postgres/lock-down-functions.sql "$ROOT"/infra/minio/policies/*.json
    echo "$MINIO_BIN $MINIO_PROVISION_BIN"
    while IFS='=' read -r key _; do
      [[ "$key" =~ ^[A-Z][A-Z0-9_]*$ ]] && echo "$key=${!key-}"
    done <"$ROOT/.env"
    # (none of them set is a fingerprint too: grep's "no match" must not fail the pipeline)
    env | { grep -E '^(USERPIPE_[A-Z_]*|POSTGRES_FSYNC)=' || true; } | sort
  } | sha256sum | cut -d' ' -f1
}

# Whether SERVICE answers, asked without starting a client of its own (rabbitmqctl starts an
# Erlang VM): Postgres accepts connections, MinIO says it is ready, RabbitMQ's AMQP port is open.
answers() {
  case "$1" in
    postgres) (exec 3<>"/dev/tcp/127.0.0.1/$POSTGRES_PORT") 2>/dev/null ;;
    rabbitmq) (exec 3<>"/dev/tcp/127.0.0.1/$RABBITMQ_PORT") 2>/dev/null ;;
    minio) curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$MINIO_PORT/minio/health/ready" 2>/dev/null ;;
    *) die "services.sh: unknown service $1 (postgres, rabbitmq or minio)" ;;
  esac
}

up_already() {
  local needed=("$@") service
  [ ${#needed[@]} -gt 0 ] || needed=(postgres rabbitmq minio)
  [ "$(cat "$UP_WITH" 2>/dev/null)" = "$(fingerprint)" ] || return 1
  for service in "${needed[@]}"; do answers "$service" || return 1; done
}

case "${1:?usage: services.sh up [postgres|rabbitmq|minio...]|down|status}" in
  up)
    shift
    up_already "$@" && exit 0
    rm -f "$UP_WITH"
    "$here/install.sh"
    "$here/postgres.sh" start
    "$here/rabbitmq.sh" start   # before MinIO, so its MQTT targets connect at once
    "$here/minio.sh" start
    fingerprint >"$UP_WITH"
    ;;
  down)
    rm -f "$UP_WITH"
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
