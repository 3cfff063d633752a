#!/usr/bin/env bash
# apply | remove: what needs MinIO's root account (infra/minio/provision): the buckets, the source
# bucket's subscription to the MQTT targets, and one user per service with its policy
# (infra/minio/policies). minio.sh runs `apply` at every start; the tests run it for each test
# stack, with its own bucket and user names in the environment (which wins over .env).
source "$(dirname "$0")/lib.sh"
build_minio_provision
USERPIPE_MINIO_POLICIES="$ROOT/infra/minio/policies" exec "$MINIO_PROVISION_BIN" "${1:-apply}"
