#!/usr/bin/env bash
# start | stop | status for a RabbitMQ node on loopback, data under the state folder.
source "$(dirname "$0")/lib.sh"

BASE="$STATE_DIR/rabbitmq"
SBIN=/usr/lib/rabbitmq/bin
[ -x "$SBIN/rabbitmq-server" ] || die "RabbitMQ is not installed (run infra/local/install.sh)"

# Our own node name, ports, cookie and folders, so it never meets the packaged service.
export HOME="$BASE" \
  RABBITMQ_NODENAME="userpipe-${RABBITMQ_PORT}@localhost" \
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
  RABBITMQ_NODE_PORT="$RABBITMQ_PORT" \
  RABBITMQ_DIST_PORT="$((RABBITMQ_PORT - 10000))" \
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

start() {
  mkdir -p "$BASE/mnesia" "$BASE/log"
  cp "$ROOT/infra/rabbitmq/rabbitmq.conf" "$BASE/rabbitmq.conf"
  echo '[].' > "$BASE/enabled_plugins"
  if [ ! -f "$BASE/.erlang.cookie" ]; then
    od -An -N20 -tx1 /dev/urandom | tr -d ' \n' > "$BASE/.erlang.cookie"
    chmod 400 "$BASE/.erlang.cookie"
  fi
  if ! ready; then
    log "starting RabbitMQ on 127.0.0.1:$RABBITMQ_PORT"
    "$SBIN/rabbitmq-server" >"$STATE_DIR/rabbitmq.log" 2>&1 &
    echo $! > "$BASE/launcher.pid"
  fi
  wait_until 120 RabbitMQ ready_or_dead
  ready || die "RabbitMQ exited during start; see $STATE_DIR/rabbitmq.log"
  if ! ctl list_users | grep -q "^$RABBITMQ_USER\b"; then
    ctl add_user "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null
  fi
  ctl change_password "$RABBITMQ_USER" "$RABBITMQ_PASSWORD" >/dev/null
  ctl set_user_tags "$RABBITMQ_USER" administrator >/dev/null
  ctl set_permissions -p / "$RABBITMQ_USER" '.*' '.*' '.*' >/dev/null
  # The well-known guest account is of no use to us.
  ctl delete_user guest >/dev/null 2>&1 || true
}

stop() {
  if ready; then
    log "stopping RabbitMQ"
    ctl stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || true
  fi
}

status() { ready && echo "rabbitmq: up on 127.0.0.1:$RABBITMQ_PORT" || { echo "rabbitmq: down"; return 1; }; }

"${1:?usage: rabbitmq.sh start|stop|status}"
