#!/usr/bin/env bash
# start | stop | status for a RabbitMQ node on loopback, data under the state folder;
# users NAME... | remove-users USER...: the per-service users (infra/rabbitmq/users.sh).
source "$(dirname "$0")/lib.sh"
source "$ROOT/infra/rabbitmq/users.sh"

BASE="$STATE_DIR/rabbitmq"
SBIN=/usr/lib/rabbitmq/bin
[ -x "$SBIN/rabbitmq-server" ] || die "RabbitMQ is not installed (run infra/local/install.sh)"

# Erlang distribution (how rabbitmqctl talks to the node) on loopback only, for the node and for
# the CLI's own short-lived node alike: the node port and epmd already are.
LOOPBACK_DIST='-kernel inet_dist_use_interface {127,0,0,1}'
# Our own node name, ports, cookie and folders, so it never meets the packaged service.
export HOME="$BASE" \
  RABBITMQ_NODENAME="userpipe-${RABBITMQ_PORT}@localhost" \
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
  RABBITMQ_NODE_PORT="$RABBITMQ_PORT" \
  RABBITMQ_DIST_PORT="$((RABBITMQ_PORT - 10000))" \
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$LOOPBACK_DIST" \
  RABBITMQ_CTL_ERL_ARGS="$LOOPBACK_DIST" \
  RABBITMQ_MNESIA_BASE="$BASE/mnesia" \
  RABBITMQ_LOG_BASE="$BASE/log" \
  RABBITMQ_PID_FILE="$BASE/rabbitmq.pid" \
  RABBITMQ_CONFIG_FILE="$BASE/rabbitmq.conf" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$BASE/enabled_plugins" \
  ERL_EPMD_ADDRESS=127.0.0.1 \
  ERL_CRASH_DUMP="$BASE/erl_crash.dump"

ctl() { "$SBIN/rabbitmqctl" -q "$@"; }
ready() { { ctl await_startup --timeout 1 && ctl list_users; } >/dev/null 2>&1; }
# Stops the wait early when the node died at boot instead of waiting out the timeout.
ready_or_dead() { ready || ! pid_alive "$BASE/launcher.pid"; }
# What the running node was started with: a node started otherwise (an older version of this
# script) is restarted so that the change takes effect.
fingerprint() { { echo "$LOOPBACK_DIST"; cat "$ROOT/infra/rabbitmq/rabbitmq.conf"; } | sha256sum | cut -d' ' -f1; }

start() {
  mkdir -p "$BASE/mnesia" "$BASE/log"
  if ready && [ "$(cat "$BASE/started-with" 2>/dev/null)" != "$(fingerprint)" ]; then
    log "RabbitMQ runs with an older configuration; restarting it"
    stop
  fi
  cp "$ROOT/infra/rabbitmq/rabbitmq.conf" "$BASE/rabbitmq.conf"
  echo '[].' > "$BASE/enabled_plugins"
  if [ ! -f "$BASE/.erlang.cookie" ]; then
    od -An -N20 -tx1 /dev/urandom | tr -d ' \n' > "$BASE/.erlang.cookie"
    chmod 400 "$BASE/.erlang.cookie"
  fi
  if ! ready; then
    log "starting RabbitMQ on 127.0.0.1:$RABBITMQ_PORT"
    # A session of its own: stopping whatever started it (a test run, a benchmark) leaves it running.
    (close_inherited_fds; exec setsid "$SBIN/rabbitmq-server" >"$STATE_DIR/rabbitmq.log" 2>&1 </dev/null) &
    echo $! > "$BASE/launcher.pid"
    fingerprint > "$BASE/started-with"
  fi
  wait_until 120 RabbitMQ ready_or_dead
  ready || die "RabbitMQ exited during start; see $STATE_DIR/rabbitmq.log"
  # The administrator: provisioning and operators' tools (make replay-dead-letters), no service.
  # awk reads the whole list: `grep -q` would stop early and fail the pipeline with SIGPIPE.
  if ! ctl list_users | awk -v user="$RABBITMQ_USER" '$1 == user { found = 1 } END { exit !found }'; then
    ctl add_user "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null
  fi
  ctl change_password "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null
  ctl set_user_tags "$RABBITMQ_USER" administrator >/dev/null
  ctl set_permissions -p / "$RABBITMQ_USER" '.*' '.*' '.*' >/dev/null
  # The well-known guest account is of no use to us.
  ctl delete_user guest >/dev/null 2>&1 || true
  users minio worker query rebuild
  # A test stack or benchmark killed before it cleaned up leaves its queues bound to MinIO's
  # exchange, each collecting a copy of every event from then on (one held 150,000 messages an
  # hour later). RabbitMQ deletes such a queue after an hour without consumers or use; only the
  # test stacks' names (shared/src/testing/testStack.ts) match, never the stack's own queues.
  ctl set_policy --apply-to queues test-stacks-expire '^(ingest|rebuild)-[0-9a-f]{8}($|\.)' '{"expires":3600000}' >/dev/null
}

# Creates or updates the users of these services (minio, worker, query, rebuild) with their
# permissions, for the names in the settings (the environment wins over .env, so the tests give
# each test stack its own).
users() {
  local definitions
  definitions=$(service_definitions "$@")
  ctl import_definitions <<<"$definitions" >/dev/null
}

# Removes these users (the tests' clean-up). One call to the node for all of them, through the
# function `rabbitmqctl delete_user` calls: each rabbitmqctl run costs about a second of CPU, and
# every test file removes three users. One by one if that function is not there.
remove-users() {
  local user names=()
  for user in "$@"; do user=${user//\\/\\\\}; names+=("<<\"${user//\"/\\\"}\">>"); done
  local IFS=,
  ctl eval "[catch rabbit_auth_backend_internal:delete_user(U, <<\"$RABBITMQ_USER\">>) || U <- [${names[*]}]], ok." >/dev/null 2>&1 && return
  for user in "$@"; do ctl delete_user "$user" >/dev/null 2>&1 || true; done
}

stop() {
  if ready; then
    log "stopping RabbitMQ"
    # Waits for the node's process to end, found without the pid file (`stop <pid file>` waits
    # forever for a pid file the node never wrote, as after two starts at once).
    ctl shutdown >/dev/null 2>&1 || true
  fi
}

status() { ready && echo "rabbitmq: up on 127.0.0.1:$RABBITMQ_PORT" || { echo "rabbitmq: down"; return 1; }; }

command=${1:?usage: rabbitmq.sh start|stop|status|users SERVICE...|remove-users USER...}
shift
"$command" "$@"
