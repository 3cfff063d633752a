#!/usr/bin/env bash
# start | stop | status for our own services as background processes, with .env settings,
# logs in the state folder. Built code only: run `npm run build` first (make up does).
source "$(dirname "$0")/lib.sh"

RUN="$STATE_DIR/run"
LOGS="$STATE_DIR/logs"
# name:entry point:the setting holding its HTTP port (for the readiness check)
PROCESSES=(
  "ingest-worker:services/ingest-worker/dist/main.js:WORKER_HTTP_PORT"
  "query-api:services/query-api/dist/main.js:API_PORT"
  "rebuild:services/rebuild/dist/main.js:REBUILD_HTTP_PORT"
)

start() {
  mkdir -p "$RUN" "$LOGS"
  for p in "${PROCESSES[@]}"; do
    IFS=: read -r name entry _ <<<"$p"
    if pid_alive "$RUN/$name.pid"; then continue; fi
    log "starting $name (log: $LOGS/$name.log)"
    # The settings are already exported by lib.sh, with the environment winning over .env.
    nohup node "$ROOT/$entry" >>"$LOGS/$name.log" 2>&1 &
    echo $! > "$RUN/$name.pid"
  done
  for p in "${PROCESSES[@]}"; do
    IFS=: read -r name _ port_var <<<"$p"
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
