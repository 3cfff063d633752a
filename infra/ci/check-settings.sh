#!/usr/bin/env bash
# Every setting a service reads (the keys of the schemas in shared/src/config/settings.ts)
# must be documented in .env.example, and nothing documented there may be stale.
set -euo pipefail
cd "$(dirname "$0")/../.."
read_by_services=$(grep -oE '^\s+[A-Z][A-Z0-9_]+:' shared/src/config/settings.ts | tr -d ' :' | sort -u)
documented=$(grep -oE '^[A-Z][A-Z0-9_]+=' .env.example | tr -d '=' | sort -u)
missing=$(comm -23 <(echo "$read_by_services") <(echo "$documented"))
if [ -n "$missing" ]; then
  echo "check-settings: read by the services but not documented in .env.example:" >&2
  echo "$missing" | sed 's/^/  /' >&2
  exit 1
fi
# Documented but read by nobody: the compose files and infra scripts read these (the provisioning
# also reads each service's login by its name, <SERVICE>_MINIO_* and <SERVICE>_RABBITMQ_*, which
# the compose files spell out).
used_elsewhere=$(grep -ohE '\$\{?[A-Z][A-Z0-9_]+' docker-compose.yml docker-compose.cluster.yml infra/local/*.sh infra/postgres/*.sh infra/rabbitmq/*.sh | tr -d '${' | sort -u)
stale=$(comm -23 <(echo "$documented") <(sort -u <(echo "$read_by_services"; echo "$used_elsewhere"; echo COMPOSE_PROJECT_NAME)))
if [ -n "$stale" ]; then
  echo "check-settings: documented in .env.example but read by nothing:" >&2
  echo "$stale" | sed 's/^/  /' >&2
  exit 1
fi
echo "check-settings: all $(echo "$read_by_services" | wc -l) settings the services read are documented in .env.example"
