#!/usr/bin/env bash
# Runs once, when the compose Postgres volume is first initialised: the query API's login,
# a member of userpipe_reader, which the migrations grant read access (and rebuild requests).
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" \
  -v reader="$QUERY_POSTGRES_USER" -v password="$QUERY_POSTGRES_PASSWORD" <<'SQL'
CREATE ROLE userpipe_reader NOLOGIN;
CREATE ROLE :"reader" LOGIN PASSWORD :'password' IN ROLE userpipe_reader;
SQL
