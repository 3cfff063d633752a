#!/usr/bin/env bash
# Validates docker-compose.yml and docker-compose.cluster.yml without a Docker engine, with
# Debian's docker-compose (installed if missing) and the settings of .env.example; then checks
# that the clustered file has not drifted from the single-node one where they must agree
# (infra/ci/compose-drift.py: it cannot reuse its services through `extends`).
set -euo pipefail
cd "$(dirname "$0")/../.."
compose_files=(docker-compose.yml docker-compose.cluster.yml)
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
  config_format=(--format json)
else
  if ! command -v docker-compose >/dev/null 2>&1; then
    echo "check-compose: installing docker-compose from Debian's packages" >&2
    if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  fi
  compose=(docker-compose)
  config_format=()  # YAML, the only format of compose v1
fi
# The services read .env (env_file); on a clean clone there is none yet, so lend the example.
# The resolved configurations hold .env's values, secrets included: kept in a private folder.
tmp=$(mktemp -d)
cleanup() { rm -rf "$tmp"; }
if [ ! -f .env ]; then
  cp .env.example .env
  cleanup() { rm -rf "$tmp"; rm -f .env; }
fi
trap cleanup EXIT
for file in "${compose_files[@]}"; do
  "${compose[@]}" --env-file .env.example -f "$file" config -q
  echo "check-compose: $file is valid ($("${compose[@]}" version | head -n 1))"
done
if command -v python3 >/dev/null 2>&1; then
  for file in "${compose_files[@]}"; do
    "${compose[@]}" --env-file .env.example -f "$file" config "${config_format[@]}" > "$tmp/$file"
  done
  python3 infra/ci/compose-drift.py "$tmp/docker-compose.yml" "$tmp/docker-compose.cluster.yml"
  echo "check-compose: docker-compose.cluster.yml agrees with docker-compose.yml (infra/ci/compose-drift.py)"
else
  echo "check-compose: warning: no python3, so docker-compose.cluster.yml was not compared with docker-compose.yml" >&2
fi
