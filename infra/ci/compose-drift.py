#!/usr/bin/env python3
"""What docker-compose.cluster.yml must keep equal to docker-compose.yml (infra/ci/check-compose.sh).

The clustered file cannot `extends` the single-node file's services (compose v1 refuses to extend
a service with depends_on, and compose v2 merges the base's depends_on, which names services the
cluster does not have), so it repeats them. This compares the two resolved configurations (the
output of `compose config`, JSON or YAML, of the same compose for both) and names every difference
that is not one of the topology's own: where a service finds Postgres, RabbitMQ and MinIO, what it
waits for, and each node's data volumes.

usage: compose-drift.py SINGLE_CONFIG CLUSTER_CONFIG
"""
import json
import sys

# docker-compose.yml's service -> the services of docker-compose.cluster.yml that stand for it.
COUNTERPARTS = {
    "postgres": ["postgres"],
    "postgres-provision": ["postgres-provision"],
    "rabbitmq": ["rabbitmq1", "rabbitmq2", "rabbitmq3"],
    "minio": ["minio1", "minio2", "minio3", "minio4"],
    "minio-provision": ["minio-provision"],
    "ingest-worker": ["ingest-worker"],
    "query-api": ["query-api"],
    "rebuild": ["rebuild"],
}
# Where our services find the infrastructure: the topology's own.
ENDPOINTS = {"POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_READ_HOST", "POSTGRES_READ_PORT",
             "RABBITMQ_HOST", "RABBITMQ_PORT", "MINIO_HOST", "MINIO_PORT"}
# MinIO settings only an erasure-coded cluster has: a single drive has no parity to choose.
MINIO_CLUSTER_ONLY = {"MINIO_STORAGE_CLASS_STANDARD", "MINIO_STORAGE_CLASS_OPTIMIZE"}
# Settings whose values are not printed (a URL may hold a login).
SECRET_WORDS = ("PASSWORD", "SECRET", "COOKIE", "_PASS", "_URL_")

problems = []


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        return json.loads(text)
    except ValueError:
        import yaml  # compose v1 prints YAML; it is written in Python and needs PyYAML itself
        return yaml.safe_load(text)


def env(service):
    e = service.get("environment") or {}
    if isinstance(e, list):
        e = dict(item.split("=", 1) if "=" in item else (item, None) for item in e)
    return {k: ("" if v is None else str(v)) for k, v in e.items()}


def mounts(service):
    """(source, target) of each volume, from the short or the long syntax."""
    out = set()
    for v in service.get("volumes") or []:
        if isinstance(v, str):
            parts = v.split(":")
            out.add((parts[0], parts[1] if len(parts) > 1 else parts[0]))
        else:
            out.add((v.get("source"), v.get("target")))
    return out


def without(service, *keys):
    return {k: v for k, v in service.items() if k not in keys}


def shown(what, value):
    """A value for the report; secrets (the config holds .env's) only as whether they are set."""
    if any(word in what for word in SECRET_WORDS) and isinstance(value, str):
        return "<set>" if value else "<empty>"
    return repr(value)


def same(what, a, b):
    if a != b:
        problems.append(f"{what} differs:\n    docker-compose.yml:         {shown(what, a)}"
                        f"\n    docker-compose.cluster.yml: {shown(what, b)}")


def env_superset(name, single, cluster, ignore=()):
    s, c = env(single), env(cluster)
    for key in sorted(set(s) - set(ignore)):
        if key not in c:
            problems.append(f"{name}: environment {key} is missing (docker-compose.yml sets it)")
        else:
            same(f"{name}: environment {key}", s[key], c[key])


def main(single_path, cluster_path):
    single = load(single_path)["services"]
    cluster = load(cluster_path)["services"]

    for name in sorted(set(single) - set(COUNTERPARTS)):
        problems.append(f"docker-compose.yml's service {name} has no counterpart in docker-compose.cluster.yml"
                        " (add it there, and to COUNTERPARTS in infra/ci/compose-drift.py)")
    for name, parts in COUNTERPARTS.items():
        for part in parts:
            if name in single and part not in cluster:
                problems.append(f"docker-compose.cluster.yml has no service {part} (for docker-compose.yml's {name})")
    if problems:
        return

    # Our services and the provisioning: the same but for where they connect and what they wait for.
    for name in ["ingest-worker", "query-api", "rebuild", "minio-provision", "postgres-provision"]:
        s, c = single[name], cluster[name]
        s_rest, c_rest = without(s, "environment", "depends_on"), without(c, "environment", "depends_on")
        for key in sorted(set(s_rest) | set(c_rest)):
            same(f"{name}: {key}", s_rest.get(key), c_rest.get(key))
        s_env = {k: v for k, v in env(s).items() if k not in ENDPOINTS}
        c_env = {k: v for k, v in env(c).items() if k not in ENDPOINTS}
        for key in sorted(set(s_env) | set(c_env)):
            same(f"{name}: environment {key}", s_env.get(key), c_env.get(key))

    # Postgres: the primary and the replica run the same image, checked the same way; the primary
    # has every setting of the single one (and the replication login's), on the same host port.
    for part in ["postgres", "postgres-replica"]:
        for key in ["image", "healthcheck"]:
            same(f"{part}: {key}", single["postgres"].get(key), cluster[part].get(key))
    same("postgres: ports", single["postgres"].get("ports"), cluster["postgres"].get("ports"))
    env_superset("postgres", single["postgres"], cluster["postgres"])

    # RabbitMQ: the same image, settings and configuration files on every node (conf.d, and
    # mqtt.sh, which sets up the MQTT plugin MinIO publishes through before each node starts); the
    # first node provisions the users with the same scripts, healthy when docker-compose.yml's is.
    single_mq = single["rabbitmq"]
    single_mq_files = {m for m in mounts(single_mq) if m[1] != "/var/lib/rabbitmq"}
    for part in COUNTERPARTS["rabbitmq"]:
        node = cluster[part]
        same(f"{part}: image", single_mq.get("image"), node.get("image"))
        env_superset(part, single_mq, node)
        wanted = single_mq_files if part == "rabbitmq1" else {
            m for m in single_mq_files if "/conf.d/" in m[1] or m[1].endswith("/mqtt.sh")}
        for m in sorted(wanted - mounts(node)):
            problems.append(f"{part}: does not mount {m[0]} at {m[1]} as docker-compose.yml's rabbitmq does")
    same("rabbitmq1: healthcheck", single_mq.get("healthcheck"), cluster["rabbitmq1"].get("healthcheck"))

    # MinIO: the same image and settings, both MQTT targets as in docker-compose.yml but for the
    # broker's address (RabbitMQ's node there, the load balancer here) and the durable target's
    # folder; every node started with the same arguments.
    single_minio = single["minio"]
    s_env = env(single_minio)
    first = cluster["minio1"]
    for part in COUNTERPARTS["minio"]:
        node = cluster[part]
        for key in ["build", "image"]:
            same(f"{part}: {key}", single_minio.get(key), node.get(key))
        if first.get("command") != node.get("command"):
            problems.append(f"{part}: command differs from minio1's (every node must start with the same arguments)")
        if env(first) != env(node):
            problems.append(f"{part}: environment differs from minio1's (every node must have the same)")
        c_env = env(node)
        same(f"{part}: environment names", sorted(s_env), sorted(k for k in c_env if k not in MINIO_CLUSTER_ONLY))
        for key in sorted(set(s_env) & set(c_env)):
            if key.startswith("MINIO_NOTIFY_MQTT_QUEUE_DIR_"):
                continue
            a, b = s_env[key], c_env[key]
            if key.startswith("MINIO_NOTIFY_MQTT_BROKER_"):
                # scheme://host:port: the address is the topology's own, the scheme is not.
                a, b = a.split("://", 1)[0], b.split("://", 1)[0]
            same(f"{part}: environment {key}", a, b)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    main(sys.argv[1], sys.argv[2])
    if problems:
        print("compose-drift: docker-compose.cluster.yml drifted from docker-compose.yml:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        sys.exit(1)
