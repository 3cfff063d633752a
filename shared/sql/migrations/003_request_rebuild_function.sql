-- The query API records rebuild requests only through request_rebuild(), which can do nothing
-- but queue a job or join the active one: it runs with its owner's rights (SECURITY DEFINER), and
-- the API's role userpipe_reader loses its direct INSERT on rebuild_jobs, so it can no longer
-- write a job in any state, with any summary. Same semantics as the INSERT ... ON CONFLICT loop
-- it replaces (shared/src/db/queries/rebuildJobs.ts calls it):
-- - no job queued or running: a new queued job, created = true;
-- - one is: that job, created = false; a 'full' request turns a queued 'default' job into a full
--   one (a running job keeps its mode);
-- - the active job finishing in between: try again (each statement sees what committed before it).
CREATE OR REPLACE FUNCTION request_rebuild(p_requested_by text, p_mode text DEFAULT 'default')
RETURNS TABLE (
  id uuid, state text, mode text, requested_at timestamptz, started_at timestamptz,
  finished_at timestamptz, summary jsonb, error text, created boolean
)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
-- The caller's temporary schema last, so a temporary table of theirs cannot stand in for ours.
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  job rebuild_jobs;
BEGIN
  LOOP
    INSERT INTO rebuild_jobs AS j (requested_by, mode) VALUES (p_requested_by, p_mode)
      ON CONFLICT ((true)) WHERE state IN ('queued', 'running') DO NOTHING
      RETURNING j.* INTO job;
    IF FOUND THEN
      RETURN QUERY SELECT job.id, job.state, job.mode, job.requested_at, job.started_at, job.finished_at, job.summary, job.error, true;
      RETURN;
    END IF;
    IF p_mode = 'full' THEN
      UPDATE rebuild_jobs AS j SET mode = CASE WHEN j.state = 'queued' THEN 'full' ELSE j.mode END
       WHERE j.state IN ('queued', 'running')
      RETURNING j.* INTO job;
    ELSE
      SELECT j.* INTO job FROM rebuild_jobs AS j WHERE j.state IN ('queued', 'running');
    END IF;
    IF FOUND THEN
      RETURN QUERY SELECT job.id, job.state, job.mode, job.requested_at, job.started_at, job.finished_at, job.summary, job.error, false;
      RETURN;
    END IF;
  END LOOP;
END
$$;

-- Functions are executable by PUBLIC unless revoked.
REVOKE ALL ON FUNCTION request_rebuild(text, text) FROM PUBLIC;

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'userpipe_reader') THEN
    REVOKE INSERT ON rebuild_jobs FROM userpipe_reader;
    GRANT EXECUTE ON FUNCTION request_rebuild(text, text) TO userpipe_reader;
    -- pg_notify and the advisory lock functions are taken from PUBLIC by a superuser
    -- (infra/postgres/lock-down-functions.sql: this role may not). Function privileges are kept
    -- per database, so check this one.
    IF EXISTS (
      SELECT FROM pg_proc p
       WHERE p.pronamespace = 'pg_catalog'::regnamespace
         AND (p.proname = 'pg_notify' OR p.proname LIKE 'pg\_%advisory\_%')
         AND has_function_privilege('userpipe_reader', p.oid, 'EXECUTE')
    ) THEN
      RAISE EXCEPTION 'userpipe_reader may still call pg_notify or take advisory locks in database %', current_database()
        USING HINT = 'A superuser runs infra/postgres/lock-down-functions.sql in this database and in template1 '
                     '(infra/local/postgres.sh start and the compose init script do).';
    END IF;
  END IF;
END
$$;
