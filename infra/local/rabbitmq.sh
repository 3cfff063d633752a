#!/usr/bin/env bash
# start | stop | status for a RabbitMQ node on loopback, data under the state folder;
# users NAME... | remove-users USER...: the per-service users (infra/rabbitmq/users.sh).
# Under TOPOLOGY=cluster, node USERPIPE_RABBITMQ_NODE (default 1) of the clustered topology's
# three; cluster.sh starts them with its steps: boot, join (node 1's cluster), provision (once).
# pid: the node's OS pid; leader QUEUE: the node that leads a quorum queue, as cluster.sh numbers it.
source "$(dirname "$0")/lib.sh"
source "$ROOT/infra/rabbitmq/users.sh"

if [ "${TOPOLOGY:-}" = cluster ]; then
  # Its own name, port and folders; the one cookie all three share is in their common HOME.
  NODE="${USERPIPE_RABBITMQ_NODE:-1}"
  PORT="$(nth "$CLUSTER_RABBITMQ_PORTS" "$NODE")"
  COOKIE_HOME="$STATE_DIR/rabbitmq"
  BASE="$COOKIE_HOME/c$NODE"
  # Named by its port, as the single node is: two clusters on one machine (a CI clone beside a
  # checkout) on different ports never share a node name in epmd.
  NODENAME="userpipe-$PORT@localhost"
  LOGFILE="$STATE_DIR/rabbitmq-c$NODE.log"
  WHAT="rabbitmq c$NODE"
else
  PORT="$RABBITMQ_PORT"
  BASE="$STATE_DIR/rabbitmq"
  COOKIE_HOME="$BASE"
  NODENAME="userpipe-${RABBITMQ_PORT}@localhost"
  LOGFILE="$STATE_DIR/rabbitmq.log"
  WHAT=rabbitmq
fi
SBIN=/usr/lib/rabbitmq/bin
[ -x "$SBIN/rabbitmq-server" ] || die "RabbitMQ is not installed (run infra/local/install.sh)"

# Erlang distribution (how rabbitmqctl talks to the node) on loopback only, for the node and for
# the CLI's own short-lived node alike: the node port and epmd already are.
LOOPBACK_DIST='-kernel inet_dist_use_interface {127,0,0,1}'
# Our own node name, ports, cookie and folders, so it never meets the packaged service. The
# distribution port is the AMQP port less 10000: distinct for every node of both topologies.
export HOME="$COOKIE_HOME" \
  RABBITMQ_NODENAME="$NODENAME" \
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
  RABBITMQ_NODE_PORT="$PORT" \
  RABBITMQ_DIST_PORT="$((PORT - 10000))" \
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="$LOOPBACK_DIST" \
  RABBITMQ_CTL_ERL_ARGS="$LOOPBACK_DIST" \
  RABBITMQ_MNESIA_BASE="$BASE/mnesia" \
  RABBITMQ_LOG_BASE="$BASE/log" \
  RABBITMQ_PID_FILE="$BASE/rabbitmq.pid" \
  RABBITMQ_CONFIG_FILE="$BASE/rabbitmq.conf" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$BASE/enabled_plugins" \
  ERL_EPMD_ADDRESS=127.0.0.1 \
  ERL_CRASH_DUMP="$BASE/erl_crash.dump"
# The cookie is the file in HOME. RABBITMQ_ERLANG_COOKIE (.env's, for the compose cluster) would
# override it for rabbitmqctl, which then could no longer reach a node started with the file.
unset RABBITMQ_ERLANG_COOKIE

ctl() { "$SBIN/rabbitmqctl" -q "$@"; }
# Whether a node of this name runs at all, as epmd knows it: no Erlang VM to start for that.
registered() { local names; names=$(epmd -names 2>/dev/null) && [[ "$names" == *"name ${NODENAME%@*} at port "* ]]; }
ready() { registered && { ctl await_startup --timeout 1 && ctl list_users; } >/dev/null 2>&1; }
# Stops the wait early when the node died at boot instead of waiting out the timeout.
ready_or_dead() { ready || ! pid_alive "$BASE/launcher.pid"; }
# What the running node was started with: a node started otherwise (an older version of this
# script) is restarted so that the change takes effect.
fingerprint() { { echo "$LOOPBACK_DIST"; config; echo "$PLUGINS"; } | sha256sum | cut -d' ' -f1; }

# MinIO publishes its events over MQTT (docs/design.md, "Edges worth knowing"): the plugin, listening on loopback
# at the node's AMQP port plus 100, publishing into the events exchange, to logged-in users only.
PLUGINS='[rabbitmq_mqtt].'
config() {
  cat "$ROOT/infra/rabbitmq/rabbitmq.conf"
  printf 'mqtt.listeners.tcp.default = 127.0.0.1:%s\nmqtt.allow_anonymous = false\nmqtt.exchange = %s\n' "$(mqtt_port "$PORT")" "$EVENTS_EXCHANGE"
}

start() { boot; provision; }

# Starts the node unless it runs, and waits until it is ready.
boot() {
  mkdir -p "$BASE/mnesia" "$BASE/log"
  # Asked once: each rabbitmqctl call costs about a second of CPU.
  local running=
  ! ready || running=yes
  if [ -n "$running" ] && [ "$(cat "$BASE/started-with" 2>/dev/null)" != "$(fingerprint)" ]; then
    log "$WHAT runs with an older configuration; restarting it"
    stop
    running=
  fi
  config > "$BASE/rabbitmq.conf"
  echo "$PLUGINS" > "$BASE/enabled_plugins"
  # One cookie per topology, made once: the first of the cluster's nodes to boot makes it for all.
  exec {cookie_lock}>"$COOKIE_HOME/.cookie.lock"
  flock "$cookie_lock"
  if [ ! -f "$COOKIE_HOME/.erlang.cookie" ]; then
    od -An -N20 -tx1 /dev/urandom | tr -d ' \n' > "$COOKIE_HOME/.erlang.cookie"
    chmod 400 "$COOKIE_HOME/.erlang.cookie"
  fi
  exec {cookie_lock}>&-
  [ -z "$running" ] || return 0
  # A node still booting (or too busy to answer) is waited for: a second one would find its
  # ports taken, and remove the pid file of the first as it exits.
  if ! pid_alive "$BASE/launcher.pid"; then
    wait_port_free "$PORT" "$WHAT"
    wait_port_free "$((PORT - 10000))" "$WHAT (its Erlang distribution port)"
    log "starting $WHAT on 127.0.0.1:$PORT"
    # A session of its own: stopping whatever started it (a test run, a benchmark) leaves it running.
    (close_inherited_fds; exec setsid "$SBIN/rabbitmq-server" >"$LOGFILE" 2>&1 </dev/null) &
    echo $! > "$BASE/launcher.pid"
    fingerprint > "$BASE/started-with"
  fi
  wait_until 120 "$WHAT" ready_or_dead
  ready || die "$WHAT exited during start; see $LOGFILE"
}

# Makes this node a member of node 1's cluster unless it is one: before anything declares a
# queue, so that quorum queues get a member on every node. A member that was stopped or killed
# rejoins by itself when it boots again.
join() {
  local first="userpipe-$(nth "$CLUSTER_RABBITMQ_PORTS" 1)@localhost" members
  [ "$NODENAME" != "$first" ] || return 0
  members=$(ctl cluster_status --formatter json)
  [[ "$members" != *"\"$first\""* ]] || return 0
  log "joining $WHAT to the cluster of $first"
  # join_cluster resets the node first: it holds nothing yet (its users come from node 1's).
  # Their output only on failure: start_app logs errors about tables of the node it is starting.
  local output
  output=$({ ctl stop_app && ctl join_cluster "$first" && ctl start_app; } 2>&1) || die "$WHAT could not join $first: $output"
}

# The administrator, the services' users and the policy: kept by the node (or the cluster).
provision() {
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
    log "stopping $WHAT"
    # Waits for the node's process to end, found without the pid file (`stop <pid file>` waits
    # forever for a pid file the node never wrote, as after two starts at once).
    ctl shutdown >/dev/null 2>&1 || true
  fi
  # The launcher script outlives the node by a moment; a start that found it still running took
  # the node for booting, waited, and then reported it dead ("exited during start").
  wait_until 30 "the stopped $WHAT's launcher" launcher_gone
  rm -f "$BASE/launcher.pid"
}
launcher_gone() { ! pid_alive "$BASE/launcher.pid"; }

status() { ready && echo "$WHAT: up on 127.0.0.1:$PORT" || { echo "$WHAT: down"; return 1; }; }

# The node's own OS process (not the launcher script's), for a test that kills it. Asked of the
# node: a start that failed (its node name taken) removes the pid file of the one that runs.
# From the pid file the node writes as it boots: asking the node takes a rabbitmqctl run, which a
# loaded machine can time out (a node-loss run once lost its kill that way). Asked only without one.
pid() {
  if pid_alive "$BASE/rabbitmq.pid"; then echo "$(cat "$BASE/rabbitmq.pid")"; return 0; fi
  ctl eval 'list_to_integer(os:getpid()).' 2>/dev/null || die "$WHAT does not run"
}

# The number (1-3) of the cluster's node that leads quorum queue QUEUE, as this node sees it.
leader() {
  local queue=$1 leader
  leader=$(ctl list_queues --no-table-headers name leader | awk -F'\t' -v q="$queue" '$1 == q { print $2 }')
  [[ "$leader" =~ ^userpipe-([0-9]+)@ ]] || die "no leader known for queue '$queue' (is it a quorum queue?)"
  local ports n
  IFS=, read -r -a ports <<<"$CLUSTER_RABBITMQ_PORTS"
  for n in "${!ports[@]}"; do
    [ "${ports[$n]}" != "${BASH_REMATCH[1]}" ] || { echo $((n + 1)); return 0; }
  done
  die "the leader of '$queue', ${leader}, is not a node of CLUSTER_RABBITMQ_PORTS"
}

command=${1:?usage: rabbitmq.sh start|stop|status|users SERVICE...|remove-users USER...|boot|join|provision|pid|leader QUEUE}
shift
"$command" "$@"
