#!/usr/bin/env bash
# up | down | status for the clustered topology on this one machine (make up TOPOLOGY=cluster):
# three RabbitMQ nodes in one cluster, four MinIO nodes in one erasure set, HAProxy in front of
# both, and a Postgres primary with a streaming replica; data, logs and pid files in .local/cluster.
# `up` is idempotent: what runs is left as it is, a node that died is started again (and rejoins).
#   pid KIND N      the OS pid of a node (rabbitmq 1-3, minio 1-4, postgres 1 = primary,
#                   2 = replica), for a test that kills one
#   leader QUEUE    which RabbitMQ node (1-3) leads the quorum queue QUEUE
export TOPOLOGY=cluster
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"

rabbitmq_count() { local p; IFS=, read -r -a p <<<"$CLUSTER_RABBITMQ_PORTS"; echo "${#p[@]}"; }
minio_count() { local p; IFS=, read -r -a p <<<"$CLUSTER_MINIO_PORTS"; echo "${#p[@]}"; }

# on_each KIND COMMAND...: rabbitmq.sh or minio.sh COMMAND for every node of KIND at once (the
# nodes of a cluster wait for one another while they start); fails when any of them failed.
on_each() {
  local kind=$1 count n pids=() rc=0
  shift
  count=$("${kind}_count")
  for n in $(seq "$count"); do
    env "USERPIPE_${kind^^}_NODE=$n" "$here/$kind.sh" "$@" &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || rc=1; done
  return $rc
}

postgres() { "$here/postgres.sh" "$@"; }
postgres_replica() { USERPIPE_POSTGRES_REPLICA=1 "$here/postgres.sh" "$@"; }

# What the cluster's RabbitMQ users and policy were made from: rabbitmq.sh provisions again only
# when it changed (each of its rabbitmqctl calls costs about a second of CPU).
rabbitmq_provisioning() {
  { cat "$here/rabbitmq.sh" "$ROOT/infra/rabbitmq/users.sh"
    env | grep -E '^([A-Z]+_)?RABBITMQ_(USER|PASSWORD)=|^(EVENTS_EXCHANGE|EVENTS_ROUTING_KEY|INGEST_QUEUE|REBUILD_QUEUE)=' | sort
  } | sha256sum | cut -d' ' -f1
}

up() {
  "$here/install.sh"
  # The load balancer first: it takes each node into its pool as soon as its checks pass.
  "$here/haproxy.sh" start
  # Postgres, the primary and then its replica made from it, meanwhile.
  { postgres start && postgres_replica start; } &
  local postgres_started=$!
  on_each rabbitmq boot || die "RabbitMQ's nodes did not all start; see $STATE_DIR/rabbitmq-c*.log"
  # One at a time: two nodes joining at once may each be refused.
  local n
  for n in $(seq 2 "$(rabbitmq_count)"); do USERPIPE_RABBITMQ_NODE=$n "$here/rabbitmq.sh" join; done
  local provisioned="$STATE_DIR/rabbitmq/provisioned-with" fingerprint
  fingerprint=$(rabbitmq_provisioning)
  if [ "$(cat "$provisioned" 2>/dev/null)" != "$fingerprint" ]; then
    USERPIPE_RABBITMQ_NODE=1 "$here/rabbitmq.sh" provision
    echo "$fingerprint" > "$provisioned"
  fi
  # MinIO after RabbitMQ, so that its MQTT targets connect at once.
  on_each minio boot || die "MinIO's nodes did not all start; see $STATE_DIR/minio-n*.log"
  wait_until 30 "MinIO's load balancer" curl -fsS -o /dev/null "http://127.0.0.1:$CLUSTER_MINIO_LB_PORT/minio/health/cluster"
  # Buckets, their subscription and the services' users, through the load balancer.
  "$here/minio-provision.sh" apply
  wait "$postgres_started" || die "PostgreSQL did not start; see $STATE_DIR/postgres*.log"
}

down() {
  # Nothing to stop where the cluster never ran (make down asks both topologies).
  [ -d "$STATE_DIR" ] || return 0
  local n
  for n in $(seq "$(minio_count)"); do
    ! pid_alive "$STATE_DIR/minio/n$n/minio.pid" || USERPIPE_MINIO_NODE=$n "$here/minio.sh" stop &
  done
  for n in $(seq "$(rabbitmq_count)"); do USERPIPE_RABBITMQ_NODE=$n "$here/rabbitmq.sh" stop & done
  wait
  postgres_replica stop
  postgres stop
  "$here/haproxy.sh" stop
}

# Each node's state, asked of all at once and shown in order.
status() {
  local out rc=0 n i=0 pids=()
  out=$(mktemp -d)
  # in_order COMMAND...: runs it in the background, its output kept for its turn.
  in_order() { i=$((i + 1)); "$@" >"$out/$i" 2>&1 & pids+=($!); }
  for n in $(seq "$(rabbitmq_count)"); do in_order env USERPIPE_RABBITMQ_NODE=$n "$here/rabbitmq.sh" status; done
  for n in $(seq "$(minio_count)"); do in_order env USERPIPE_MINIO_NODE=$n "$here/minio.sh" status; done
  in_order "$here/haproxy.sh" status
  in_order postgres status
  in_order postgres_replica status
  for n in "${pids[@]}"; do wait "$n" || rc=1; done
  for n in $(seq "$i"); do cat "$out/$n"; done
  rm -rf "$out"
  return $rc
}

pid() {
  local kind=${1:?usage: cluster.sh pid rabbitmq|minio|postgres N} n=${2:?usage: cluster.sh pid KIND N}
  case "$kind" in
    rabbitmq) USERPIPE_RABBITMQ_NODE=$n "$here/rabbitmq.sh" pid ;;
    minio) USERPIPE_MINIO_NODE=$n "$here/minio.sh" pid ;;
    postgres)
      case "$n" in
        1) postgres pid ;;
        2) postgres_replica pid ;;
        *) die "postgres 1 is the primary, 2 the replica" ;;
      esac ;;
    *) die "no such kind of node: $kind (rabbitmq, minio or postgres)" ;;
  esac
}

# Asked of the first node that answers: the one a test just killed may well be the leader.
leader() {
  local queue=${1:?usage: cluster.sh leader QUEUE} n
  for n in $(seq "$(rabbitmq_count)"); do
    USERPIPE_RABBITMQ_NODE=$n "$here/rabbitmq.sh" leader "$queue" 2>/dev/null && return 0
  done
  die "no running RabbitMQ node knows a leader of $queue"
}

command=${1:?usage: cluster.sh up|down|status|pid KIND N|leader QUEUE}
shift
"$command" "$@"
