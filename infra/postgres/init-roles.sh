#!/usr/bin/env bash
# The compose stack's Postgres provisioning, run as the superuser by the one-shot service
# postgres-provision on every `docker compose up` (so an existing volume gets what a newer
# version adds), idempotent:
# - userpipe_writer, the group of the owner login (POSTGRES_USER) the worker and the rebuild use,
#   which alone may call pg_notify and take advisory locks;
# - userpipe_reader and the query API's login in it (the migrations grant it read access and
#   request_rebuild());
# - lock-down-functions.sql in template1 (databases created later start locked down) and in
#   the application database.
set -euo pipefail
export PGHOST="${PGHOST:-postgres}" PGUSER="$POSTGRES_USER" PGPASSWORD="$POSTGRES_PASSWORD"
psql -v ON_ERROR_STOP=1 -qtA -d "$POSTGRES_DB" \
  -v owner="$POSTGRES_USER" -v reader="$QUERY_POSTGRES_USER" -v password="$QUERY_POSTGRES_PASSWORD" <<'SQL'
SELECT 'CREATE ROLE userpipe_writer NOLOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'userpipe_writer') \gexec
SELECT format('GRANT userpipe_writer TO %I', :'owner')
  WHERE NOT pg_has_role(:'owner', 'userpipe_writer', 'MEMBER') \gexec
SELECT 'CREATE ROLE userpipe_reader NOLOGIN'
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'userpipe_reader') \gexec
SELECT format('CREATE ROLE %I LOGIN IN ROLE userpipe_reader', :'reader')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'reader') \gexec
ALTER ROLE :"reader" PASSWORD :'password';
SQL
for db in template1 "$POSTGRES_DB"; do
  psql -v ON_ERROR_STOP=1 -q -d "$db" -f "$(dirname "$0")/lock-down-functions.sql"
done
echo "userpipe: Postgres roles and function lock-down provisioned"
