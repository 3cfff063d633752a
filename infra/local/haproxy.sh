#!/usr/bin/env bash
# start | stop | status for the clustered topology's load balancer (TOPOLOGY=cluster): HAProxy on
# loopback, in front of MinIO's nodes (CLUSTER_MINIO_LB_PORT: the clients and provisioning) and
# of RabbitMQ's (CLUSTER_AMQP_LB_PORT for AMQP; its mqtt_port for MinIO's MQTT targets). A dead
# node leaves its pool within about two seconds. Its configuration, pid and admin socket are in the state folder.
source "$(dirname "$0")/lib.sh"

[ "${TOPOLOGY:-}" = cluster ] || die "haproxy.sh serves the clustered topology: run it with TOPOLOGY=cluster (cluster.sh does)"
HAPROXY=/usr/sbin/haproxy
[ -x "$HAPROXY" ] || die "HAProxy is not installed (run TOPOLOGY=cluster infra/local/install.sh)"
BASE="$STATE_DIR/haproxy"
CONFIG="$BASE/haproxy.cfg"
PIDFILE="$BASE/haproxy.pid"
SOCKET="$BASE/admin.sock"
LOGFILE="$STATE_DIR/haproxy.log"

# servers PREFIX HOST PORTS OPTIONS: one server line per port of a comma-separated list.
servers() {
  local prefix=$1 host=$2 ports=$3 options=$4 port n=0
  for port in ${ports//,/ }; do
    n=$((n + 1))
    printf '  server %s%d %s:%s %s\n' "$prefix" "$n" "$host" "$port" "$options"
  done
}

# mqtt_ports PORTS: the MQTT listeners of the RabbitMQ nodes whose AMQP ports are PORTS.
mqtt_ports() {
  local port out=()
  for port in ${1//,/ }; do out+=("$(mqtt_port "$port")"); done
  local IFS=,
  echo "${out[*]}"
}

config() {
  # Checked every second, out after two failures and back after two successes.
  local check='check inter 1s fall 2 rise 2'
  cat <<CONFIG
# Written by infra/local/haproxy.sh; changes here are lost at its next start.
global
  maxconn 4096
  stats socket $SOCKET mode 600 level admin

defaults
  timeout connect 2s
  timeout check 1s
  # A connection that fails goes to another server, not back to the dead one.
  retries 3
  option redispatch 1
  # The sessions of a node marked down are cut, so their clients reconnect to a live one at once.
  default-server on-marked-down shutdown-sessions

# MinIO, as its clients use it: /minio/health/live answers while the node's process serves.
listen minio
  bind 127.0.0.1:$CLUSTER_MINIO_LB_PORT
  mode http
  timeout client 5m
  timeout server 5m
  # A request whose connection failed or got no answer is sent again to another node.
  retry-on conn-failure empty-response
  balance leastconn
  option httpchk GET /minio/health/live
  http-check expect status 200
$(servers n "$(machine_address)" "$CLUSTER_MINIO_PORTS" "$check")

# RabbitMQ over AMQP, for people's tools (our services know the nodes themselves).
listen amqp
  bind 127.0.0.1:$CLUSTER_AMQP_LB_PORT
  mode tcp
  timeout client 3h
  timeout server 3h
  option tcpka
  balance leastconn
$(servers c 127.0.0.1 "$CLUSTER_RABBITMQ_PORTS" "$check")

# RabbitMQ's MQTT plugin for MinIO's MQTT targets, each node's listener at its AMQP port plus
# 100 (mqtt_port): long-lived connections pinged every 5 s (their KEEP_ALIVE_INTERVAL), so a
# minute of silence is a dead peer.
listen mqtt
  bind 127.0.0.1:$(mqtt_port "$CLUSTER_AMQP_LB_PORT")
  mode tcp
  timeout client 1m
  timeout server 1m
  option tcpka
  balance leastconn
$(servers c 127.0.0.1 "$(mqtt_ports "$CLUSTER_RABBITMQ_PORTS")" "$check")
CONFIG
}

start() {
  mkdir -p "$BASE"
  config > "$CONFIG.new"
  "$HAPROXY" -c -q -f "$CONFIG.new" || die "HAProxy refuses $CONFIG.new"
  if pid_alive "$PIDFILE" && cmp -s "$CONFIG.new" "$CONFIG"; then
    rm -f "$CONFIG.new"
    return 0
  fi
  mv "$CONFIG.new" "$CONFIG"
  local old=()
  if pid_alive "$PIDFILE"; then
    log "HAProxy runs with another configuration; replacing it (the old one finishes its connections)"
    old=(-sf "$(cat "$PIDFILE")")
  else
    log "starting HAProxy: MinIO on 127.0.0.1:$CLUSTER_MINIO_LB_PORT, RabbitMQ on 127.0.0.1:$CLUSTER_AMQP_LB_PORT"
  fi
  # -D: it detaches into a session of its own and writes its pid file before this returns.
  (close_inherited_fds; exec "$HAPROXY" -D -f "$CONFIG" -p "$PIDFILE" "${old[@]}" >>"$LOGFILE" 2>&1 </dev/null)
  pid_alive "$PIDFILE" || die "HAProxy did not start; see $LOGFILE"
}

stop() { stop_daemon HAProxy "$PIDFILE"; }

# Each pool's servers as its health checks see them (UP, DOWN, ...), from the admin socket.
status() {
  pid_alive "$PIDFILE" || { echo "haproxy: down"; return 1; }
  local pools
  pools=$(echo 'show stat' | socat -t 2 stdio "unix-connect:$SOCKET" 2>/dev/null \
    | awk -F, '$2 != "FRONTEND" && $2 != "BACKEND" && $1 !~ /^#/ && NF > 17 { s[$1] = s[$1] " " $2 "=" $18 } END { for (p in s) printf "%s:%s; ", p, s[p] }')
  echo "haproxy: up (pid $(cat "$PIDFILE")), minio on 127.0.0.1:$CLUSTER_MINIO_LB_PORT, amqp on 127.0.0.1:$CLUSTER_AMQP_LB_PORT; ${pools:-pools unknown}"
}

"${1:?usage: haproxy.sh start|stop|status}"
