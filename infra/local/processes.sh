#!/usr/bin/env bash
# start | stop | status for our own services as background processes, with .env settings,
# logs in the state folder. Built code only: run `npm run build` first (make up does).
source "$(dirname "$0")/lib.sh"

RUN="$STATE_DIR/run"
LOGS="$STATE_DIR/logs"
# name:entry point:the setting holding its HTTP port (for the readiness check):the secrets it
# may hold:the setting holding its Node options, if any. Every other password and secret key of .env is withheld from it: above all the RabbitMQ
# administrator's and MinIO's root account, which only provisioning uses, and the database
# owner's password from the query API, which logs in as QUERY_POSTGRES_USER.
PROCESSES=(
  "ingest-worker:services/ingest-worker/dist/main.js:WORKER_HTTP_PORT:POSTGRES_PASSWORD WORKER_RABBITMQ_PASSWORD WORKER_MINIO_SECRET_KEY:WORKER_NODE_OPTIONS"
  "query-api:services/query-api/dist/main.js:API_PORT:QUERY_POSTGRES_PASSWORD QUERY_RABBITMQ_PASSWORD QUERY_MINIO_SECRET_KEY"
  "rebuild:services/rebuild/dist/main.js:REBUILD_HTTP_PORT:POSTGRES_PASSWORD REBUILD_RABBITMQ_PASSWORD REBUILD_MINIO_SECRET_KEY"
)

# `env` arguments that unset every secret of .env but these.
withhold_secrets_but() {
  local key
  for key in $(grep -oE '^[A-Z][A-Z0-9_]*(_PASSWORD|_SECRET_KEY)=' "$ROOT/.env" | tr -d '='); do
    [[ " $1 " == *" $key "* ]] || printf '%s\n' -u "$key"
  done
}

start() {
  mkdir -p "$RUN" "$LOGS"
  for p in "${PROCESSES[@]}"; do
    IFS=: read -r name entry _ secrets options_var <<<"$p"
    if pid_alive "$RUN/$name.pid"; then continue; fi
    log "starting $name (log: $LOGS/$name.log)"
    # The settings are already exported by lib.sh, with the environment winning over .env.
    mapfile -t withheld < <(withhold_secrets_but "$secrets")
    # MALLOC_ARENA_MAX as in the services' image (infra/docker/node-service.Dockerfile says why).
    (close_inherited_fds; exec nohup env "${withheld[@]}" NODE_OPTIONS="${options_var:+${!options_var:-}}" MALLOC_ARENA_MAX=2 node "$ROOT/$entry" >>"$LOGS/$name.log" 2>&1) &
    echo $! > "$RUN/$name.pid"
  done
  for p in "${PROCESSES[@]}"; do
    IFS=: read -r name _ port_var _ <<<"$p"
    [ -n "$port_var" ] || continue
    wait_until 60 "$name" curl -fsS -o /dev/null "http://127.0.0.1:${!port_var}/readyz"
  done
}

stop() {
  for p in "${PROCESSES[@]}"; do
    name=${p%%:*}
    if pid_alive "$RUN/$name.pid"; then
      log "stopping $name"
      kill -TERM "$(cat "$RUN/$name.pid")"
      while pid_alive "$RUN/$name.pid"; do sleep 0.2; done
    fi
    rm -f "$RUN/$name.pid"
  done
}

status() {
  rc=0
  for p in "${PROCESSES[@]}"; do
    name=${p%%:*}
    if pid_alive "$RUN/$name.pid"; then echo "$name: running (pid $(cat "$RUN/$name.pid"))"; else echo "$name: stopped"; rc=1; fi
  done
  return $rc
}

logs() { tail -n 50 -F "$LOGS"/*.log "$STATE_DIR"/*.log; }

"${1:?usage: processes.sh start|stop|status|logs}"
