#!/usr/bin/env bash
# Creates .env from .env.example on first use, replacing every `change-me` with a fresh random
# secret, so a new clone runs without anyone inventing passwords and none is committed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ -f "$ROOT/.env" ] && exit 0
while IFS= read -r line; do
  while [[ "$line" == *change-me* ]]; do
    line="${line/change-me/$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')}"
  done
  printf '%s\n' "$line"
done < "$ROOT/.env.example" > "$ROOT/.env"
chmod 600 "$ROOT/.env"
echo "[local] wrote $ROOT/.env from .env.example with generated secrets" >&2
