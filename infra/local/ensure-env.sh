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

# Scripts run side by side (the tests start several): one writer at a time.
exec {lock}<"$ROOT/.env.example"
flock "$lock"

if [ ! -f "$ROOT/.env" ]; then
  (umask 077; with_secrets < "$ROOT/.env.example" > "$ROOT/.env")
  echo "[local] wrote $ROOT/.env from .env.example with generated secrets" >&2
  exit 0
fi
missing=$(grep -E '^[A-Z][A-Z0-9_]*=' "$ROOT/.env.example" | while IFS= read -r line; do
  grep -q "^${line%%=*}=" "$ROOT/.env" || printf '%s\n' "$line"
done)
[ -n "$missing" ] || exit 0
{ echo "# added from .env.example on $(date -u +%F)"; with_secrets <<<"$missing"; } >> "$ROOT/.env"
echo "[local] added to $ROOT/.env: $(cut -d= -f1 <<<"$missing" | tr '\n' ' ')" >&2
