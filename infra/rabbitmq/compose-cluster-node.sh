#!/usr/bin/env bash
# The entrypoint of the RabbitMQ nodes of docker-compose.cluster.yml. Nodes authenticate to each
# other (and rabbitmqctl to a node) with a shared Erlang cookie: it comes from the setting
# RABBITMQ_ERLANG_COOKIE (passed as USERPIPE_ERLANG_COOKIE, so that RabbitMQ does not also read
# it and warn that the variable is deprecated) into the data folder, where the image expects it.
# Then the node runs as in docker-compose.yml (MinIO's MQTT plugin set up by mqtt.sh, on every node):
#   compose-cluster-node.sh provision   the first node: through entrypoint.sh, which also creates
#                                       the services' users, once for the whole cluster (users and
#                                       permissions are cluster-wide; the other nodes get them
#                                       when they join);
#   compose-cluster-node.sh             the others: through the image's own entrypoint.
set -euo pipefail
: "${USERPIPE_ERLANG_COOKIE:?USERPIPE_ERLANG_COOKIE (the setting RABBITMQ_ERLANG_COOKIE) is required}"
cookie=/var/lib/rabbitmq/.erlang.cookie
(umask 077; printf '%s' "$USERPIPE_ERLANG_COOKIE" > "$cookie")
chown rabbitmq:rabbitmq "$cookie"
chmod 400 "$cookie"
unset USERPIPE_ERLANG_COOKIE

case "${1:-}" in
  provision) exec bash /etc/rabbitmq/userpipe/entrypoint.sh ;;
  ''|rabbitmq-server)
    bash /etc/rabbitmq/userpipe/mqtt.sh
    exec docker-entrypoint.sh rabbitmq-server ;;
  *) echo "compose-cluster-node.sh: unknown argument $1" >&2; exit 2 ;;
esac
