# Sourced by the local-stack scripts: paths, settings from .env, and small helpers.
# Everything lives in one project-owned state folder; nothing is written elsewhere except the
# user cache that keeps the MinIO and Node binaries between clones.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE_DIR="${USERPIPE_STATE_DIR:-$ROOT/.local}"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/userpipe"
# The community MinIO repository is archived and source-only. Its last commit is the version
# the Go module proxy serves (the RELEASE.2025-10-15T17-29-55Z pseudo-version is refused there).
MINIO_MODULE_VERSION="${USERPIPE_MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}"
MINIO_BIN="$CACHE_DIR/minio-$MINIO_MODULE_VERSION/minio"

log() { printf '[local] %s\n' "$*" >&2; }
die() { printf '[local] error: %s\n' "$*" >&2; exit 1; }

"$ROOT/infra/local/ensure-env.sh"
# Settings already in the environment win over .env, as they do for the services.
while IFS='=' read -r key value; do
  [[ -z "$key" || "$key" == \#* ]] && continue
  value="${value%\"}"; value="${value#\"}"   # .env values may be quoted, as in a shell
  [[ -n "${!key+x}" ]] || export "$key=$value"
done < "$ROOT/.env"

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

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}
