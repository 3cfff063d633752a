#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine, with Debian's docker-compose
# (installed if missing) and the settings of .env.example.
set -euo pipefail
cd "$(dirname "$0")/../.."
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if ! command -v docker-compose >/dev/null 2>&1; then
    echo "check-compose: installing docker-compose from Debian's packages" >&2
    if [ "$(id -u)" = 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  fi
  compose=(docker-compose)
fi
# The services read .env (env_file); on a clean clone there is none yet, so lend the example.
if [ ! -f .env ]; then
  cp .env.example .env
  trap 'rm -f .env' EXIT
fi
"${compose[@]}" --env-file .env.example -f docker-compose.yml config -q
echo "check-compose: docker-compose.yml is valid ($("${compose[@]}" version | head -n 1))"
