-- What the console shows that no table held yet (issue R2 3 of 4).

-- The latest export of output.csv, for GET /status: when it finished, its rows and size, and how
-- long it took. One row, replaced by every export (shared/src/export/exportOutputCsv.ts, used by
-- the worker's exporter and at the end of a rebuild); no history grows.
CREATE TABLE output_export (
  singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  finished_at  timestamptz NOT NULL,
  row_count    bigint NOT NULL,
  bytes        bigint NOT NULL,
  seconds      double precision NOT NULL
);

-- GET /jobs lists jobs recent first, a page at a time (keyset on requested_at, id).
CREATE INDEX rebuild_jobs_recent ON rebuild_jobs (requested_at DESC, id DESC);

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'userpipe_reader') THEN
    GRANT SELECT ON output_export TO userpipe_reader;
  END IF;
END
$$;
