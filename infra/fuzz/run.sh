#!/usr/bin/env bash
# `make fuzz`: property-based fuzzing of the query API with schemathesis, from its own OpenAPI
# document. Starts everything it needs and stops what it started:
#   1. schemathesis (pinned, hashed: requirements.txt) into a venv in the state folder, once;
#   2. the local PostgreSQL, RabbitMQ and MinIO (infra/local/services.sh up);
#   3. a throwaway database (FUZZ_DB), migrated the way the worker does it, seeded (seed.sql);
#   4. a query API on a free port against it, with its own rebuild queue (stopped, and the queue
#      deleted, on exit);
#   5. every phase (examples, coverage, fuzzing, stateful), positive and negative data, all checks,
#      over every operation of /openapi.json; then a summary (summary.py).
# Exits non-zero when schemathesis finds any failure or error, or runs fewer than FUZZ_MIN_CASES.
#
# Settings (environment; `make fuzz SEED=7` sets FUZZ_SEED):
#   FUZZ_SEED (42)              the seed: the same seed on the same code sends the same requests
#   FUZZ_MAX_EXAMPLES (300)     cases per operation and phase (about 4,500 cases in all over 8 operations)
#   FUZZ_MIN_CASES (1000)       fewer cases than this in total fails the run
#   FUZZ_REQUEST_TIMEOUT (5)    seconds a request may take before it counts as a failure (a hang)
#   FUZZ_TIME_LIMIT (300)       wall-clock seconds for the whole schemathesis run (it takes about 120 s on 2 cores)
#   FUZZ_PORT (a free one)      the fuzzed API's port (never API_PORT, which `make up` uses)
#   FUZZ_DB (userpipe_fuzz)     the throwaway database, dropped and recreated on every run
#   FUZZ_ARGS                   more schemathesis options, e.g. FUZZ_ARGS='--include-path /data'
# Everything it writes is under .local/fuzz: schemathesis.log, query-api.log, report/ (JSON, NDJSON,
# JUnit).
source "$(dirname "$0")/../local/lib.sh"
here="$ROOT/infra/fuzz"
export PATH="$("$ROOT/infra/local/node.sh"):$PATH"

SCHEMATHESIS_VERSION=4.32.5   # as pinned in requirements.in / requirements.txt
SEED="${FUZZ_SEED:-42}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-300}"
MIN_CASES="${FUZZ_MIN_CASES:-1000}"
REQUEST_TIMEOUT="${FUZZ_REQUEST_TIMEOUT:-5}"
TIME_LIMIT="${FUZZ_TIME_LIMIT:-300}"
DB="${FUZZ_DB:-userpipe_fuzz}"
QUEUE="userpipe-fuzz-rebuild-requests"
VENV="$STATE_DIR/fuzz-venv"
OUT="$STATE_DIR/fuzz"

say() { printf 'fuzz: %s\n' "$*" >&2; }
start=$SECONDS

[ -f "$ROOT/services/query-api/dist/main.js" ] || die "no build of the query API: run make build (make fuzz does)"
[ "$DB" != "$POSTGRES_DB" ] || die "FUZZ_DB must not be the stack's database ($POSTGRES_DB): it is dropped on every run"

# --- 1. schemathesis, pinned, in a project-local venv ------------------------------------------
install_schemathesis() {
  local stamp="$VENV/.requirements.sha256" want
  want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
  if [ -x "$VENV/bin/schemathesis" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] &&
    "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qx "schemathesis, version $SCHEMATHESIS_VERSION"; then
    return
  fi
  command -v python3 >/dev/null || die "python3 (3.10 or later) is needed for schemathesis"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' || die "schemathesis $SCHEMATHESIS_VERSION needs Python 3.10 or later; python3 is $(python3 -V)"
  say "installing schemathesis $SCHEMATHESIS_VERSION into $VENV (once)"
  rm -rf "$VENV"
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    # Debian's python3 keeps venv (ensurepip) in a package of its own.
    rm -rf "$VENV"
    log "installing python3-venv from Debian packages"
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; fi
    python3 -m venv "$VENV"
  fi
  timeout 600 "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes -r "$here/requirements.txt"
  "$VENV/bin/schemathesis" --version | grep -qx "schemathesis, version $SCHEMATHESIS_VERSION" || die "schemathesis $SCHEMATHESIS_VERSION did not install"
  echo "$want" > "$stamp"
}
install_schemathesis

# --- 2. the backing services ---------------------------------------------------------------------
"$ROOT/infra/local/services.sh" up

# --- 3. a throwaway database: migrated as the worker does, then seeded ----------------------------
mkdir -p "$OUT"
# The API of an earlier run that could not clean up (killed with -9): stop it by its pid, if that
# process is still one of ours.
if [ -f "$OUT/query-api.pid" ]; then
  old_pid=$(cat "$OUT/query-api.pid")
  if tr '\0' ' ' < "/proc/$old_pid/cmdline" 2>/dev/null | grep -q "services/query-api/dist/main.js"; then
    say "stopping the query API left by an earlier run (pid $old_pid)"
    kill -KILL "$old_pid" 2>/dev/null || true
  fi
  rm -f "$OUT/query-api.pid"
fi
PSQL="$(pg_bin_dir)/psql"
owner_psql() { PGPASSWORD="$POSTGRES_PASSWORD" timeout 60 "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" "$@"; }
# Dropped by the superuser of the local server: only it may end the sessions other roles (the
# API's) still hold on it. Created by the owner, as the worker's database is.
as_service_user timeout 60 "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$STATE_DIR/postgres/run" -p "$POSTGRES_PORT" -U postgres -d postgres \
  -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)"
owner_psql -d postgres -c "CREATE DATABASE \"$DB\""
POSTGRES_DB="$DB" timeout 60 node "$here/db.js" migrate
owner_psql -d "$DB" -f "$here/seed.sql"
say "database $DB seeded: $(owner_psql -d "$DB" -tAc "SELECT (SELECT count(*) FROM users) || ' users, ' || (SELECT count(*) FROM rejected_files) || ' rejected files'")"

# --- 4. a query API of its own -----------------------------------------------------------------
rm -rf "$OUT/report"
mkdir -p "$OUT/report"
port="${FUZZ_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
[ "$port" != "$API_PORT" ] || die "FUZZ_PORT must not be API_PORT ($API_PORT), which make up's query API uses"
base="http://127.0.0.1:$port"
api_pid=""
# Running, and not a zombie (an exited child answers kill -0 until it is waited for).
api_alive() { local stat; stat=$(cat "/proc/$api_pid/stat" 2>/dev/null) && [[ "${stat##*) }" != Z* ]]; }
stop_api() {
  local rc=$?
  if [ -n "$api_pid" ] && api_alive; then
    kill -TERM "$api_pid" 2>/dev/null || true
    for _ in $(seq 60); do api_alive || break; sleep 0.2; done
    kill -KILL "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
    say "query API on port $port stopped"
  fi
  rm -f "$OUT/query-api.pid"
  # The rebuild requests of POST /data went to a queue nobody reads: drop it (best effort).
  timeout 20 node "$here/db.js" delete-queue "$QUEUE" >/dev/null 2>&1 || true
  exit "$rc"
}
trap stop_api EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting a query API on $base against database $DB (log: $OUT/query-api.log)"
# LOG_LEVEL=info: its "incoming request" and "request completed" lines tell the summary which
# requests were never answered, and its errors say what a 500 was.
POSTGRES_DB="$DB" API_HOST=127.0.0.1 API_PORT="$port" REBUILD_QUEUE="$QUEUE" LOG_LEVEL=info \
  node "$ROOT/services/query-api/dist/main.js" >"$OUT/query-api.log" 2>&1 &
api_pid=$!
echo "$api_pid" > "$OUT/query-api.pid"
deadline=$((SECONDS + 30))
until curl -fsS -o /dev/null --max-time 2 "$base/readyz" 2>/dev/null; do
  if ! api_alive; then tail -n 20 "$OUT/query-api.log" >&2; die "the query API exited at start"; fi
  [ "$SECONDS" -lt "$deadline" ] || { tail -n 20 "$OUT/query-api.log" >&2; die "the query API was not ready within 30 s"; }
  sleep 0.3
done

# --- 5. schemathesis -----------------------------------------------------------------------------
say "schemathesis $SCHEMATHESIS_VERSION: all phases and checks, $MAX_EXAMPLES cases per operation and phase, seed $SEED, ${REQUEST_TIMEOUT} s per request, ${TIME_LIMIT} s in all"
color=--no-color   # its output goes to a log file
# One worker: Python 3.11's ast.parse, which hypothesis calls, is not thread-safe, and two workers
# gain little against one API process on two cores. No example database: a seed alone decides
# what is sent.
# Its own report goes to the log and reaches the console only when it failed: it closes in
# pytest's manner ("=== 1 warning in 80s ==="), and a CI reader that parses pytest's closing line
# takes a passing run for one that ran no test. The summary below says what it did either way.
# Lines are cut at 2,000 characters in the console (the log keeps them whole).
set +e
(cd "$OUT" && timeout --kill-after=10 "$TIME_LIMIT" "$VENV/bin/schemathesis" run "$base/openapi.json" \
  --phases examples,coverage,fuzzing,stateful --mode all --checks all --continue-on-failure \
  --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
  --request-timeout "$REQUEST_TIMEOUT" --workers 1 --generation-database none \
  --report json,ndjson,junit --report-dir "$OUT/report" $color ${FUZZ_ARGS:-}) >"$OUT/schemathesis.log" 2>&1
st_rc=$?
set -e
if [ "$st_rc" = 0 ]; then
  say "schemathesis passed (its report: $OUT/schemathesis.log)"
  grep -A4 '^Missing test data' "$OUT/schemathesis.log" | grep -v '^[[:space:]]*$' | cut -c1-2000 | sed 's/^/fuzz: warning: /' >&2 || true
else
  cut -c1-2000 "$OUT/schemathesis.log"
fi
if [ "$st_rc" = 124 ] || [ "$st_rc" = 137 ]; then
  say "schemathesis did not finish within $TIME_LIMIT s (FUZZ_TIME_LIMIT) and was stopped"
fi

summary_rc=0
if ! api_alive; then
  # A crash, or a signal from outside: either way the cases after it prove nothing.
  say "the query API exited during the run; the end of its log:"
  tail -n 5 "$OUT/query-api.log" | cut -c1-400 >&2
  summary_rc=1
fi
"$VENV/bin/python" -B "$here/summary.py" "$OUT/report" "$OUT/query-api.log" "http://127.0.0.1:$API_PORT" "$MIN_CASES" "$st_rc" || summary_rc=$?
say "took $((SECONDS - start)) s"
[ "$st_rc" = 0 ] && [ "$summary_rc" = 0 ]
