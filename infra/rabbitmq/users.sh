# Sourced by infra/local/rabbitmq.sh and by the compose RabbitMQ container's entrypoint
# (infra/rabbitmq/entrypoint.sh): one RabbitMQ user per service, allowed only what that service
# does. `service_definitions minio worker query rebuild` prints them as definitions for
# `rabbitmqctl import_definitions`: one call creates or updates every user and its permissions
# (a rabbitmqctl call costs a second or so; the tests give each test stack its own users).
#
# Permissions are three regular expressions (configure, write, read) over the names of
# exchanges and queues alike, built from the names in the settings (EVENTS_EXCHANGE,
# INGEST_QUEUE, REBUILD_QUEUE) and the suffixes of shared/src/messaging/ingestTopology.ts and
# rebuildTopology.ts. Each user is <SERVICE>_RABBITMQ_USER with password <SERVICE>_RABBITMQ_PASSWORD
# (MINIO_, WORKER_, QUERY_, REBUILD_). None of them is tagged: only the administrator
# (RABBITMQ_USER) may manage the broker.

# A name as a regular expression that matches exactly it.
re_name() { sed 's/[][\.^$*+?(){}|/]/\\&/g' <<<"$1"; }

# Prints "configure<TAB>write<TAB>read" for a service.
service_permissions() {
  local e q r
  e=$(re_name "$EVENTS_EXCHANGE"); q=$(re_name "$INGEST_QUEUE"); r=$(re_name "$REBUILD_QUEUE")
  case "$1" in
    # MinIO's MQTT targets only publish, into the events exchange (RabbitMQ's MQTT plugin does it
    # for them, as this user); the topic permission below narrows that to the events' routing key.
    minio) printf '%s\t%s\t%s\n' '^$' "^$e\$" '^$' ;;
    # The worker declares the events exchange (unless it is RabbitMQ's own amq.topic), its queue,
    # the delay queues and the dead-letter queue, binds its queue to the events exchange (the
    # binding must exist before MinIO's first publish), and consumes it. Its queues dead-letter
    # through the default exchange, which RabbitMQ only lets a user declare with write on
    # amq.default (and read on the queue); the worker also moves failed messages to a delay or
    # the dead-letter queue through it. So it could publish to any queue: acceptable for the
    # service that already writes every user row and output.csv.
    worker) printf '%s\t%s\t%s\n' "^($e|$q|$q\\.dead|$q\\.delay\\.[0-9]+ms)\$" "^(amq\\.default|$q)\$" "^($e|$q|$q\\.delay\\.[0-9]+ms)\$" ;;
    # The query API only announces rebuild jobs, on an exchange of their own that only the
    # rebuild queue is bound to: not through the default exchange, which reaches every queue.
    # It declares nothing and consumes nothing.
    query) printf '%s\t%s\t%s\n' '^$' "^$r\\.announce\$" '^$' ;;
    # The rebuild declares its queue and the announce exchange, binds them, and consumes the queue.
    rebuild) printf '%s\t%s\t%s\n' "^($r|$r\\.announce)\$" "^$r\$" "^($r|$r\\.announce)\$" ;;
    *) echo "users.sh: unknown service $1" >&2; return 1 ;;
  esac
}

# RabbitMQ's rabbit_password_hashing_sha256: base64(salt ‖ sha256(salt ‖ password)), 4-byte salt.
rabbit_password_hash() {
  local salt digest
  salt=$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')
  digest=$({ printf "$(sed 's/../\\x&/g' <<<"$salt")"; printf '%s' "$1"; } | sha256sum | cut -d' ' -f1)
  printf "$(sed 's/../\\x&/g' <<<"$salt$digest")" | base64 -w0
}

json_string() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

service_definitions() {
  local users=() permissions=() topic_permissions=() service prefix user_var password_var configure write read
  for service in "$@"; do
    prefix=$(tr 'a-z' 'A-Z' <<<"$service")
    user_var="${prefix}_RABBITMQ_USER"; password_var="${prefix}_RABBITMQ_PASSWORD"
    [ -n "${!user_var:-}" ] && [ -n "${!password_var:-}" ] || { echo "users.sh: $user_var and $password_var are required" >&2; return 1; }
    [ "${!user_var}" != "${RABBITMQ_USER:-}" ] || { echo "users.sh: $user_var must not be the administrator" >&2; return 1; }
    IFS=$'\t' read -r configure write read < <(service_permissions "$service")
    users+=("{\"name\":$(json_string "${!user_var}"),\"password_hash\":\"$(rabbit_password_hash "${!password_var}")\",\"hashing_algorithm\":\"rabbit_password_hashing_sha256\",\"tags\":[]}")
    permissions+=("{\"user\":$(json_string "${!user_var}"),\"vhost\":\"/\",\"configure\":$(json_string "$configure"),\"write\":$(json_string "$write"),\"read\":$(json_string "$read")}")
    # MinIO publishes into a topic exchange others may use too (amq.topic, the MQTT plugin's), so
    # its user may publish there under the events' routing key only, and the test stacks' (infra/local/minio.sh).
    [ "$service" != minio ] || topic_permissions+=("{\"user\":$(json_string "${!user_var}"),\"vhost\":\"/\",\"exchange\":$(json_string "$EVENTS_EXCHANGE"),\"write\":$(json_string "^$(re_name "$EVENTS_ROUTING_KEY")(-test)?\$"),\"read\":\"^\$\"}")
  done
  local IFS=,
  printf '{"users":[%s],"permissions":[%s],"topic_permissions":[%s]}\n' "${users[*]}" "${permissions[*]}" "${topic_permissions[*]}"
}
