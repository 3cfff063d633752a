#!/usr/bin/env bash
# Run by the RabbitMQ containers of docker-compose.yml and docker-compose.cluster.yml before the
# node starts (entrypoint.sh, compose-cluster-node.sh): MinIO publishes its bucket events over
# MQTT (its MQTT targets), so every node runs RabbitMQ's MQTT plugin, listening on the standard
# port 1883 (on the containers' network only), for logged-in users only, and putting what it
# receives into the events exchange (EVENTS_EXCHANGE; amq.topic, the plugin's default, unless set
# otherwise) with the MQTT topic (EVENTS_ROUTING_KEY) as routing key. infra/local/rabbitmq.sh does
# the same for the local node. Idempotent: a restarted container finds both already in place.
set -euo pipefail
: "${EVENTS_EXCHANGE:?EVENTS_EXCHANGE is required: the exchange the MQTT plugin publishes into}"

# Added to the image's own plugins (rabbitmq_prometheus), offline: before the node runs. As the
# rabbitmq user when started as root, so that nothing the command may write (an Erlang cookie, on
# a new volume) ends up owned by root.
if ! grep -qE '[[,[:space:]]rabbitmq_mqtt[],[:space:]]' /etc/rabbitmq/enabled_plugins 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then as_rabbitmq=(gosu rabbitmq); else as_rabbitmq=(); fi
  "${as_rabbitmq[@]}" rabbitmq-plugins enable --offline rabbitmq_mqtt >/dev/null
fi

printf '%s\n' \
  '# Written by /etc/rabbitmq/userpipe/mqtt.sh (infra/rabbitmq/mqtt.sh) at each start.' \
  'mqtt.listeners.tcp.default = 1883' \
  'mqtt.allow_anonymous = false' \
  "mqtt.exchange = $EVENTS_EXCHANGE" > /etc/rabbitmq/conf.d/90-userpipe-mqtt.conf
