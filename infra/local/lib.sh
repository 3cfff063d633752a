# Sourced by the local-stack scripts: paths, settings from .env, and small helpers.
# Everything lives in one project-owned state folder; nothing is written elsewhere except the
# user cache that keeps the MinIO and Node binaries between clones.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '[local] %s\n' "$*" >&2; }
die() { printf '[local] error: %s\n' "$*" >&2; exit 1; }

# TOPOLOGY=cluster (make up TOPOLOGY=cluster, infra/local/cluster.sh) is the clustered stack:
# three RabbitMQ nodes, four MinIO nodes, a Postgres primary and its replica. Its data and pid
# files live in a folder of their own, so the two topologies never take each other's for theirs.
case "${TOPOLOGY:-}" in
  ''|single) STATE_DIR="${USERPIPE_STATE_DIR:-$ROOT/.local}" ;;
  cluster) STATE_DIR="${USERPIPE_STATE_DIR:-$ROOT/.local}/cluster" ;;
  *) die "TOPOLOGY must be empty, single or cluster, not '$TOPOLOGY'" ;;
esac
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/userpipe"
# The community MinIO repository is archived and source-only. Its last commit is the version
# the Go module proxy serves (the RELEASE.2025-10-15T17-29-55Z pseudo-version is refused there).
MINIO_MODULE_VERSION="${USERPIPE_MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
MINIO_BIN="$CACHE_DIR/minio-$MINIO_MODULE_VERSION/minio"
# Our MinIO provisioning tool (infra/minio/provision: buckets, bucket subscription, one user per
# service), built once per version of its source.
MINIO_PROVISION_SRC="$ROOT/infra/minio/provision"
MINIO_PROVISION_BIN="$CACHE_DIR/minio-provision-$(cat "$MINIO_PROVISION_SRC"/go.mod "$MINIO_PROVISION_SRC"/go.sum "$MINIO_PROVISION_SRC"/*.go | sha256sum | cut -c1-16)/userpipe-minio-provision"

"$ROOT/infra/local/ensure-env.sh"
# Settings already in the environment win over .env, as they do for the services.
while IFS='=' read -r key value; do
  [[ -z "$key" || "$key" == \#* ]] && continue
  value="${value%\"}"; value="${value#\"}"   # .env values may be quoted, as in a shell
  [[ -n "${!key+x}" ]] || export "$key=$value"
done < "$ROOT/.env"

# Under the clustered topology, every script and our processes reach the cluster: RabbitMQ as
# the list of its nodes (the clients fail over between them), MinIO through its load balancer,
# Postgres at the primary, and the query API's reads at the replica. These win over the
# environment too: the cluster is where its CLUSTER_* settings put it. RABBITMQ_PORT is the first
# node's, so that nothing that reads only it can reach the single-node stack instead.
if [ "${TOPOLOGY:-}" = cluster ]; then
  IFS=, read -r -a cluster_rabbitmq_ports <<<"$CLUSTER_RABBITMQ_PORTS"
  RABBITMQ_HOST=$(printf '127.0.0.1:%s,' "${cluster_rabbitmq_ports[@]}")
  export RABBITMQ_HOST="${RABBITMQ_HOST%,}" RABBITMQ_PORT="${cluster_rabbitmq_ports[0]}" \
    MINIO_HOST=127.0.0.1 MINIO_PORT="$CLUSTER_MINIO_LB_PORT" \
    POSTGRES_HOST=127.0.0.1 POSTGRES_PORT="$CLUSTER_POSTGRES_PORT" \
    POSTGRES_READ_HOST=127.0.0.1 POSTGRES_READ_PORT="$CLUSTER_POSTGRES_REPLICA_PORT"
  unset cluster_rabbitmq_ports
fi

as_service_user() {
  # PostgreSQL refuses to run as root; other users run it as themselves.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

wait_until() { # wait_until SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what did not become ready; see $STATE_DIR/*.log"
    sleep 0.3
  done
}

# Whether the process a pid file names still runs. Only a process that began before the file
# was written counts: after the machine restarts, the number in a stale file can belong to any
# process (once, to a shell of the very `make up` that then waited two minutes for RabbitMQ).
pid_alive() {
  [ -f "$1" ] || return 1
  local pid started
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  started=$(process_started "$pid") || return 0 # no /proc to ask: the number is all there is
  [ "$started" -le $(($(stat -c %Y "$1") + 1)) ]
}

# wait_port_free PORT WHAT: before a server starts on PORT, waits (up to a minute) while another
# process's connection holds PORT as its own end. Our ports lie in Linux's ephemeral range
# (32768-60999), so on a busy machine an outgoing connection can be given one while the server
# that uses it is down: a node-loss run's RabbitMQ node once failed to come back so (eaddrinuse).
# Such a connection soon ends. A socket left by the killed server (no process owns it) or in
# TIME-WAIT does not stop the server's bind and is not waited for, nor is a server listening
# there (the caller's start reports that, or finds its own server booting).
wait_port_free() {
  local port=$1 what=$2 deadline=$((SECONDS + 60)) held said=
  command -v ss >/dev/null || return 0
  while held=$(ss -Htanp state all "( sport = :$port )" 2>/dev/null | awk '$1 != "TIME-WAIT" && /users:\(/') && [ -n "$held" ]; do
    [[ "$held" != *LISTEN* ]] || return 0
    [ "$SECONDS" -lt "$deadline" ] || die "$what cannot start: a connection still holds port $port after a minute: $held"
    [ -n "$said" ] || log "$what: port $port is held by a connection of another process; waiting for it to end: $held"
    said=yes
    sleep 0.5
  done
}

# process_started PID: when it started, in seconds since the epoch (from /proc).
process_started() {
  local stat fields btime
  stat=$(cat "/proc/$1/stat" 2>/dev/null) && btime=$(awk '$1 == "btime" { print $2 }' /proc/stat) || return 1
  # The fields after the command name, which may hold spaces; starttime (field 22) is the 20th.
  read -r -a fields <<<"${stat##*) }"
  echo $((btime + fields[19] / $(getconf CLK_TCK)))
}

# stop_daemon NAME PIDFILE: stops the daemon of that pid file, if it runs, and waits for it to end.
stop_daemon() {
  if pid_alive "$2"; then
    log "stopping $1"
    kill "$(cat "$2")"
    while pid_alive "$2"; do sleep 0.2; done
  fi
  rm -f "$2"
}

# nth LIST N: the Nth (from 1) of a comma-separated setting, such as CLUSTER_MINIO_PORTS.
nth() {
  local items
  IFS=, read -r -a items <<<"$1"
  [[ "$2" =~ ^[1-9][0-9]*$ && -n "${items[$2 - 1]:-}" ]] || die "no item $2 in '$1'"
  echo "${items[$2 - 1]}"
}

# mqtt_port AMQP_PORT: where a RabbitMQ node (or the cluster's load balancer) listening for AMQP
# on AMQP_PORT takes MinIO's MQTT connections. Derived, like the Erlang distribution port, so that
# every stack that moves its ports (a CI clone beside a checkout) moves this one too.
mqtt_port() { echo $(($1 + 100)); }

# For a subshell about to start a daemon: close every descriptor but 0-2, so the daemon holds
# nothing of its caller's (a `flock` around a benchmark was held by the stack it started).
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

# The machine's own first non-loopback address: the clustered topology's MinIO nodes listen and
# meet there (they refuse loopback endpoints when they believe they run in a container).
machine_address() {
  local address
  address=$(hostname -I 2>/dev/null | cut -d' ' -f1)
  [ -n "$address" ] || die "this machine has no non-loopback address (hostname -I), which distributed MinIO needs"
  echo "$address"
}

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

# Builds the MinIO provisioning tool unless this version of it is built already.
build_minio_provision() {
  [ -x "$MINIO_PROVISION_BIN" ] && return 0
  command -v go >/dev/null || die "Go is needed to build the MinIO provisioning tool (infra/minio/provision)"
  mkdir -p "$(dirname "$MINIO_PROVISION_BIN")"
  # One build at a time (the tests start several scripts at once); the others wait for it.
  local lock
  exec {lock}>"$(dirname "$MINIO_PROVISION_BIN")/.build.lock"
  flock "$lock"
  [ -x "$MINIO_PROVISION_BIN" ] && return 0
  log "building the MinIO provisioning tool (once per version; cached in $(dirname "$MINIO_PROVISION_BIN"))"
  # Built aside and renamed, so that two builds at once never run a half-written binary.
  (cd "$MINIO_PROVISION_SRC" && GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -o "$MINIO_PROVISION_BIN.$$" .)
  mv "$MINIO_PROVISION_BIN.$$" "$MINIO_PROVISION_BIN"
}
