#!/usr/bin/env bash
# The Postgres primary of docker-compose.cluster.yml: an init script of the image
# (/docker-entrypoint-initdb.d), so it runs once, when the primary's volume is created. It lets
# the streaming replica in: a login with only the REPLICATION attribute
# (POSTGRES_REPLICATION_USER, password POSTGRES_REPLICATION_PASSWORD), and a pg_hba.conf line
# for its replication connections, which the image's `host all all all` does not cover. The
# replica takes its copy with pg_basebackup (compose-replica-entrypoint.sh). Roles and the
# lock-down are postgres-provision's (init-roles.sh), as with one Postgres.
# A subshell: the image sources an init script that is not executable, and these shell options
# must not leak into its entrypoint.
(
  set -euo pipefail
  : "${POSTGRES_REPLICATION_USER:?}" "${POSTGRES_REPLICATION_PASSWORD:?}"
  psql -v ON_ERROR_STOP=1 -q --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v user="$POSTGRES_REPLICATION_USER" -v password="$POSTGRES_REPLICATION_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN REPLICATION', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" PASSWORD :'password';
SQL
  printf 'host replication "%s" all scram-sha-256\n' "$POSTGRES_REPLICATION_USER" >> "$PGDATA/pg_hba.conf"
  echo "userpipe: replication login $POSTGRES_REPLICATION_USER created"
)
