#!/usr/bin/env bash
# Installs what the local stack needs, skipping whatever is already there:
# PostgreSQL and RabbitMQ from Debian's packages (and for the clustered topology, HAProxy and
# socat, which talks to its admin socket), MinIO and our MinIO provisioning tool built from the
# Go module proxy and cached.
source "$(dirname "$0")/lib.sh"

sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
pg_bin_dir >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
command -v curl >/dev/null || missing+=(curl)
# Only the clustered topology has load balancers: the single-node stack installs no more than it uses.
if [ "${TOPOLOGY:-}" = cluster ]; then
  [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  command -v socat >/dev/null || missing+=(socat)
fi
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} from Debian packages"
  sudo_if_needed apt-get update -qq
  # policy-rc.d keeps the packaged services from starting: we run our own instances.
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 sudo_if_needed apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x "$MINIO_BIN" ]; then
  command -v go >/dev/null || die "Go is needed to build MinIO (go install github.com/minio/minio@$MINIO_MODULE_VERSION)"
  log "building MinIO $MINIO_MODULE_VERSION from the Go module proxy (once; cached in $(dirname "$MINIO_BIN"))"
  mkdir -p "$(dirname "$MINIO_BIN")"
  GOTOOLCHAIN=local GOBIN="$(dirname "$MINIO_BIN")" go install "github.com/minio/minio@$MINIO_MODULE_VERSION"
fi

build_minio_provision
