#!/usr/bin/env bash
# start | stop | status for a MinIO server on loopback that publishes bucket events to RabbitMQ.
# Under TOPOLOGY=cluster, node USERPIPE_MINIO_NODE of the clustered topology's distributed MinIO;
# cluster.sh boots every node, then provisions through the load balancer. pid: its OS pid.
source "$(dirname "$0")/lib.sh"

if [ "${TOPOLOGY:-}" = cluster ]; then
  NODE="${USERPIPE_MINIO_NODE:?USERPIPE_MINIO_NODE (1-4) names the node of the cluster}"
  # Not loopback: MinIO finds /.dockerenv on these machines, believes itself orchestrated and
  # then waits forever for endpoints that resolve to localhost.
  HOST="$(machine_address)"
  PORT="$(nth "$CLUSTER_MINIO_PORTS" "$NODE")"
  BASE="$STATE_DIR/minio/n$NODE"
  LOGFILE="$STATE_DIR/minio-n$NODE.log"
  WHAT="minio n$NODE"
  # Two drives per node, all of them listed one by one, the same list on every node: each
  # argument with an ellipsis would be a pool of its own, with no redundancy across nodes.
  OWN_DRIVES=("$BASE/d1" "$BASE/d2")
  DRIVES=()
  IFS=, read -r -a ports <<<"$CLUSTER_MINIO_PORTS"
  for n in "${!ports[@]}"; do
    DRIVES+=("http://$HOST:${ports[n]}$STATE_DIR/minio/n$((n + 1))/d1" "http://$HOST:${ports[n]}$STATE_DIR/minio/n$((n + 1))/d2")
  done
  # Through the load balancer, so the events reach whichever RabbitMQ node is alive.
  MQTT_ADDRESS="127.0.0.1:$(mqtt_port "$CLUSTER_AMQP_LB_PORT")"
  # MINIO_CI_CD: drives on the root filesystem are refused otherwise.
  # EC:3, parity below half the eight drives: an object's version needs five drives to be read or
  # written, so a PUT that reached only four cannot be read back. A delete marker is read from
  # four drives whatever the class, so under the default EC:4 a marker left on four drives by a
  # failed DELETE tied with the version under it, and HEAD answered 200 and 404 by turns.
  # OPTIMIZE=capacity: by default (availability) MinIO raises a new object's parity by one per
  # offline drive, up to half, so everything written while a node was down was EC:4 again;
  # capacity keeps EC:3 (5 data + 3 parity, write quorum 5 of the 6 drives left).
  # docs/design.md, "The clustered topology". Both apply to objects written after they are set.
  CLUSTER_ENV=(MINIO_CI_CD=on MINIO_STORAGE_CLASS_STANDARD=EC:3 MINIO_STORAGE_CLASS_OPTIMIZE=capacity)
  # Every node's MINIO_* settings must be the same, or the others refuse it ("Expected MINIO_*
  # environment name and values across all servers to be same"), yet each needs a queue folder of
  # its own: one path that each process resolves to its own working folder, which is BASE.
  QUEUE_DIR=/proc/self/cwd/events
else
  HOST=127.0.0.1
  PORT="$MINIO_PORT"
  BASE="$STATE_DIR/minio"
  LOGFILE="$STATE_DIR/minio.log"
  WHAT=minio
  OWN_DRIVES=("$BASE/data")
  DRIVES=("${OWN_DRIVES[@]}")
  MQTT_ADDRESS="127.0.0.1:$(mqtt_port "$RABBITMQ_PORT")"
  CLUSTER_ENV=()
  QUEUE_DIR="$BASE/events"
fi
PIDFILE="$BASE/minio.pid"
[ -x "$MINIO_BIN" ] || die "MinIO is not built (run infra/local/install.sh)"

ready() { curl -fsS -o /dev/null "http://$HOST:$PORT/minio/health/ready"; }

# Adds one MQTT target's settings to `targets`: ID, and a queue folder for the durable one.
# RabbitMQ's MQTT plugin turns each publish into one into the events exchange; one connection per
# target, kept open, where an AMQP target opened a channel per event (RabbitMQ's CPU went there:
# docs/scaling.md, "Where it stops"). The durable target publishes at QoS 1 (RabbitMQ acknowledges
# once the queues have the event), so an event it has spooled is never lost; the fast one at QoS 0,
# within the upload itself: a hint that saves the durable one's 3-second poll, lost if RabbitMQ is
# away, which loses nothing. RECONNECT_INTERVAL caps the client's back-off between reconnections
# (10 minutes by default): a broker node back, or another behind the load balancer, is found
# within a second or two.
mqtt_target() {
  local id=$1 queue_dir=${2:-} topic=${3:-$EVENTS_ROUTING_KEY}
  targets+=("MINIO_NOTIFY_MQTT_ENABLE_$id=on" "MINIO_NOTIFY_MQTT_BROKER_$id=tcp://$MQTT_ADDRESS"
    "MINIO_NOTIFY_MQTT_TOPIC_$id=$topic" "MINIO_NOTIFY_MQTT_USERNAME_$id=$MINIO_RABBITMQ_USER"
    "MINIO_NOTIFY_MQTT_PASSWORD_$id=$MINIO_RABBITMQ_PASSWORD" "MINIO_NOTIFY_MQTT_RECONNECT_INTERVAL_$id=1s"
    "MINIO_NOTIFY_MQTT_KEEP_ALIVE_INTERVAL_$id=5s")
  if [ -n "$queue_dir" ]; then
    targets+=("MINIO_NOTIFY_MQTT_QOS_$id=1" "MINIO_NOTIFY_MQTT_QUEUE_DIR_$id=$queue_dir")
  else
    targets+=("MINIO_NOTIFY_MQTT_QOS_$id=0")
  fi
}

start() {
  boot
  # Buckets, their subscription and the services' users: the only use of the root account.
  "$ROOT/infra/local/minio-provision.sh" apply
}

# Starts the server unless it runs with these settings, and waits until it is ready.
boot() {
  mkdir -p "${OWN_DRIVES[@]}" "$BASE/events" "$BASE/events-test"
  # Two MQTT targets publish every event (mqtt_target above):
  # - the durable one keeps events in QUEUE_DIR while RabbitMQ is away, but MinIO sends from
  #   that folder on a fixed 3-second poll, so it alone would be seconds late;
  # - the fast one publishes synchronously, within the upload, and is lost if RabbitMQ is down.
  # Reconcile is idempotent, so the second copy of each event costs a no-op. They log in as
  # MinIO's own RabbitMQ user, which may only publish to the events exchange, under its routing key.
  targets=()
  mqtt_target "$MINIO_NOTIFY_TARGET_ID" "$QUEUE_DIR"
  [ -z "${MINIO_NOTIFY_FAST_TARGET_ID:-}" ] || mqtt_target "$MINIO_NOTIFY_FAST_TARGET_ID"
  # The same two again for the test stacks' buckets, under a routing key of their own
  # (`<EVENTS_ROUTING_KEY>-test`; shared/src/testing/serviceEndpoints.ts names them the same way):
  # on the key of the stack's own queue, every test upload would pile up in `ingest` while no
  # worker of the stack runs (1.4 million events after a day of test runs).
  mqtt_target "${MINIO_NOTIFY_TARGET_ID}TEST" "$QUEUE_DIR-test" "$EVENTS_ROUTING_KEY-test"
  [ -z "${MINIO_NOTIFY_FAST_TARGET_ID:-}" ] || mqtt_target "${MINIO_NOTIFY_FAST_TARGET_ID}TEST" "" "$EVENTS_ROUTING_KEY-test"
  server_env=(MINIO_ROOT_USER="$MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$MINIO_SECRET_KEY"
    MINIO_API_SYNC_EVENTS=on MINIO_BROWSER=off MINIO_UPDATE=off "${targets[@]}" "${CLUSTER_ENV[@]}")
  # A server started with other settings (older ones, a changed .env) is restarted with these;
  # only a digest of them is kept (a cluster's node's also covers its address and drives).
  local cluster_args=()
  [ "${TOPOLOGY:-}" != cluster ] || cluster_args=("$HOST:$PORT" "${DRIVES[@]}")
  fingerprint=$(printf '%s\n' "$MINIO_BIN" "${server_env[@]}" "${cluster_args[@]}" | sha256sum | cut -d' ' -f1)
  if pid_alive "$PIDFILE" && [ "$(cat "$BASE/started-with" 2>/dev/null)" != "$fingerprint" ]; then
    log "$WHAT runs with other settings; restarting it"
    stop
  fi
  if ! pid_alive "$PIDFILE"; then
    wait_port_free "$PORT" "$WHAT"
    log "starting $WHAT on $HOST:$PORT"
    # A session of its own: stopping whatever started it (a test run, a benchmark) leaves it running.
    (close_inherited_fds; cd "$BASE"; exec env "${server_env[@]}" setsid "$MINIO_BIN" server --quiet --address "$HOST:$PORT" "${DRIVES[@]}" \
      >"$LOGFILE" 2>&1) &
    echo $! > "$PIDFILE"
    echo "$fingerprint" > "$BASE/started-with"
  fi
  # A node of the cluster is ready once enough of the others are up: cluster.sh boots them together.
  wait_until 60 "$WHAT" ready
}

stop() { stop_daemon "$WHAT" "$PIDFILE"; }

status() { ready && echo "$WHAT: up on $HOST:$PORT" || { echo "$WHAT: down"; return 1; }; }

# The server's OS process, for a test that kills it.
pid() { pid_alive "$PIDFILE" && cat "$PIDFILE" || die "$WHAT does not run"; }

"${1:?usage: minio.sh start|stop|status|boot|pid}"
