-- Age filters become birthdate ranges; these let them be index range scans.
CREATE INDEX users_birthdate ON users (birthdate);
CREATE INDEX users_with_image_birthdate ON users (birthdate) WHERE img_path IS NOT NULL;
CREATE INDEX users_without_image_birthdate ON users (birthdate) WHERE img_path IS NULL;

-- Full reprocess requests (POST /data). At most one is queued or running at a time: a second
-- request joins it.
CREATE TABLE rebuild_jobs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  mode          text NOT NULL DEFAULT 'default' CHECK (mode IN ('default', 'full')),
  requested_by  text NOT NULL DEFAULT 'api',
  requested_at  timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  finished_at   timestamptz,
  summary       jsonb NOT NULL DEFAULT '{}',
  error         text
);
CREATE UNIQUE INDEX rebuild_jobs_one_active ON rebuild_jobs ((true)) WHERE state IN ('queued', 'running');

-- The query API's role may read, and record rebuild requests, nothing more. The role itself is
-- cluster-wide and created by whoever provisions the server (infra/local, the compose init script).
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'userpipe_reader') THEN
    GRANT SELECT ON users, rejected_files, rebuild_jobs TO userpipe_reader;
    GRANT INSERT ON rebuild_jobs TO userpipe_reader;
  END IF;
END
$$;
