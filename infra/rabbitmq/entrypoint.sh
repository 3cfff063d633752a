#!/usr/bin/env bash
# The RabbitMQ container's entrypoint in docker-compose.yml: the MQTT plugin MinIO publishes
# through, set up before the node starts (mqtt.sh); the image's own entrypoint, which starts the
# node and creates the administrator (RABBITMQ_DEFAULT_USER); then, as soon as the node answers,
# one user per service with only its permissions (users.sh, as infra/local/rabbitmq.sh does).
# The health check passes once those users exist, so nothing connects before.
set -euo pipefail
source /etc/rabbitmq/userpipe/users.sh
marker=/tmp/userpipe-users-provisioned
rm -f "$marker"

bash /etc/rabbitmq/userpipe/mqtt.sh
docker-entrypoint.sh rabbitmq-server &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' TERM INT
until rabbitmqctl -q await_startup >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit $?; }
  sleep 1
done
service_definitions minio worker query rebuild | rabbitmqctl -q import_definitions
touch "$marker"
echo "userpipe: RabbitMQ users of minio, worker, query and rebuild provisioned"

# Until the node stops (a signal interrupts `wait`; the trap has passed it on).
while kill -0 "$server" 2>/dev/null; do wait "$server" || true; done
