#!/usr/bin/env bash
# Creates .env from .env.example on first use, replacing every `change-me` with a fresh random
# secret, so a new clone runs without anyone inventing passwords and none is committed. A
# setting added to .env.example later (such as a new service's login) is appended to an existing
# .env the same way; nothing already in .env is changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Only in the value of a setting: a comment that mentions `change-me` (the first lines of
# .env.example do) is copied as it is.
with_secrets() {
  local line
  while IFS= read -r line; do
    if [[ "$line" =~ ^[A-Z][A-Z0-9_]*= ]]; then
      while [[ "$line" == *change-me* ]]; do
        line="${line/change-me/$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')}"
      done
    fi
    printf '%s\n' "$line"
  done
}

# The settings of .env.example that .env lacks, in one pass (every script runs this first, so it
# must cost next to nothing when there are none).
missing_settings() {
  awk -F= 'NR == FNR { if ($0 ~ /^[A-Z][A-Z0-9_]*=/) have[$1] = 1; next }
           /^[A-Z][A-Z0-9_]*=/ && !($1 in have)' "$ROOT/.env" "$ROOT/.env.example"
}

# An old default that no longer works, as `KEY=old value`, and the value that replaced it: a .env
# written before keeps its values, so this one is moved on once, and said so. EVENTS_EXCHANGE
# named the direct exchange MinIO's AMQP targets declared; MinIO now publishes over MQTT into
# the plugin's topic exchange (docs/design.md, "Edges worth knowing"), and the worker's topic
# declaration of the old name would be refused.
RETIRED_DEFAULTS=('EVENTS_EXCHANGE=minio-events' 'amq.topic')
retired_in_env() { [ -f "$ROOT/.env" ] && grep -qxF "${RETIRED_DEFAULTS[0]}" "$ROOT/.env"; }

[ ! -f "$ROOT/.env" ] || [ -n "$(missing_settings)" ] || retired_in_env || exit 0

# Scripts run side by side (the tests start several): one writer at a time.
exec {lock}<"$ROOT/.env.example"
flock "$lock"

if [ ! -f "$ROOT/.env" ]; then
  (umask 077; with_secrets < "$ROOT/.env.example" > "$ROOT/.env")
  echo "[local] wrote $ROOT/.env from .env.example with generated secrets" >&2
  exit 0
fi
if retired_in_env; then
  key=${RETIRED_DEFAULTS[0]%%=*}
  sed -i "s|^${RETIRED_DEFAULTS[0]}\$|$key=${RETIRED_DEFAULTS[1]}|" "$ROOT/.env"
  echo "[local] $ROOT/.env: $key was the old default ${RETIRED_DEFAULTS[0]#*=}, now ${RETIRED_DEFAULTS[1]}" >&2
fi
missing=$(missing_settings)
[ -n "$missing" ] || exit 0
{ echo "# added from .env.example on $(date -u +%F)"; with_secrets <<<"$missing"; } >> "$ROOT/.env"
echo "[local] added to $ROOT/.env: $(cut -d= -f1 <<<"$missing" | tr '\n' ' ')" >&2
