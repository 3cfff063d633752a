#!/usr/bin/env bash
# Reproduces, on a throwaway distributed MinIO of its own, how MinIO acknowledges a DELETE that
# leaves the key in the bucket, and serves an older version as the current one
# (docs/design.md, "Deletes lost after a node's return"): four nodes of two drives, EC:3 with
# optimize=capacity as the clustered stack runs them, a versioned bucket.
#   infra/local/minio-lost-delete-repro.sh [first of four ports, default 59961]
# TAMPER=0 runs the control (every drive that holds the keys answers). Needs only the MinIO
# binary (infra/local/install.sh) and Node; nodes and drives live in a temporary folder, removed
# at the end. Light: no load is needed, which drives answer is steered by killing nodes.
source "$(dirname "$0")/lib.sh"
[ -x "$MINIO_BIN" ] || die "MinIO is not built (run infra/local/install.sh)"
REPRO_BASE="$(mktemp -d /tmp/userpipe-minio-repro.XXXXXX)"
trap 'rm -rf "$REPRO_BASE"' EXIT
REPRO_MINIO_BIN="$MINIO_BIN" REPRO_HOST="$(machine_address)" REPRO_FIRST_PORT="${1:-59961}" REPRO_BASE="$REPRO_BASE" \
  node "$(dirname "$0")/minio-lost-delete-repro.js"
