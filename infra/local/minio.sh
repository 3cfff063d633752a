#!/usr/bin/env bash
# start | stop | status for a MinIO server on loopback that publishes bucket events to RabbitMQ.
source "$(dirname "$0")/lib.sh"

BASE="$STATE_DIR/minio"
PIDFILE="$BASE/minio.pid"
[ -x "$MINIO_BIN" ] || die "MinIO is not built (run infra/local/install.sh)"

ready() { curl -fsS -o /dev/null "http://127.0.0.1:$MINIO_PORT/minio/health/ready"; }

# Adds one AMQP target's settings to `targets`: ID, and a queue folder for the durable one.
amqp_target() {
  local id=$1 queue_dir=${2:-}
  targets+=("MINIO_NOTIFY_AMQP_ENABLE_$id=on" "MINIO_NOTIFY_AMQP_URL_$id=$amqp_url"
    "MINIO_NOTIFY_AMQP_EXCHANGE_$id=$EVENTS_EXCHANGE" "MINIO_NOTIFY_AMQP_EXCHANGE_TYPE_$id=direct"
    "MINIO_NOTIFY_AMQP_ROUTING_KEY_$id=$EVENTS_ROUTING_KEY" "MINIO_NOTIFY_AMQP_DURABLE_$id=on"
    "MINIO_NOTIFY_AMQP_DELIVERY_MODE_$id=2" "MINIO_NOTIFY_AMQP_PUBLISHING_CONFIRMS_$id=on")
  [ -z "$queue_dir" ] || targets+=("MINIO_NOTIFY_AMQP_QUEUE_DIR_$id=$queue_dir")
}

start() {
  mkdir -p "$BASE/data" "$BASE/events"
  # Two AMQP targets publish every event (every flag but ENABLE counts only when exactly "on"):
  # - the durable one keeps events in QUEUE_DIR while RabbitMQ is away, but MinIO sends from
  #   that folder on a fixed 3-second poll, so it alone would be seconds late;
  # - the fast one publishes synchronously, within the upload, and is lost if RabbitMQ is down.
  # Reconcile is idempotent, so the second copy of each event costs a no-op. They log in as
  # MinIO's own RabbitMQ user, which may only declare and publish to the events exchange.
  amqp_url="amqp://$MINIO_RABBITMQ_USER:$MINIO_RABBITMQ_PASSWORD@127.0.0.1:$RABBITMQ_PORT/"
  targets=()
  amqp_target "$MINIO_NOTIFY_TARGET_ID" "$BASE/events"
  [ -z "${MINIO_NOTIFY_FAST_TARGET_ID:-}" ] || amqp_target "$MINIO_NOTIFY_FAST_TARGET_ID"
  server_env=(MINIO_ROOT_USER="$MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$MINIO_SECRET_KEY"
    MINIO_API_SYNC_EVENTS=on MINIO_BROWSER=off MINIO_UPDATE=off "${targets[@]}")
  # A server started with other settings (older ones, a changed .env) is restarted with these;
  # only a digest of them is kept.
  fingerprint=$(printf '%s\n' "$MINIO_BIN" "${server_env[@]}" | sha256sum | cut -d' ' -f1)
  if pid_alive "$PIDFILE" && [ "$(cat "$BASE/started-with" 2>/dev/null)" != "$fingerprint" ]; then
    log "MinIO runs with other settings; restarting it"
    stop
  fi
  if ! pid_alive "$PIDFILE"; then
    log "starting MinIO on 127.0.0.1:$MINIO_PORT"
    # A session of its own: stopping whatever started it (a test run, a benchmark) leaves it running.
    (close_inherited_fds; exec env "${server_env[@]}" setsid "$MINIO_BIN" server --quiet --address "127.0.0.1:$MINIO_PORT" "$BASE/data" \
      >"$STATE_DIR/minio.log" 2>&1) &
    echo $! > "$PIDFILE"
    echo "$fingerprint" > "$BASE/started-with"
  fi
  wait_until 60 MinIO ready
  # Buckets, their subscription and the services' users: the only use of the root account.
  "$ROOT/infra/local/minio-provision.sh" apply
}

stop() {
  if pid_alive "$PIDFILE"; then
    log "stopping MinIO"
    kill "$(cat "$PIDFILE")"
    while pid_alive "$PIDFILE"; do sleep 0.2; done
  fi
  rm -f "$PIDFILE"
}

status() { ready && echo "minio: up on 127.0.0.1:$MINIO_PORT" || { echo "minio: down"; return 1; }; }

"${1:?usage: minio.sh start|stop|status}"
