-- pg_notify and the advisory lock functions are callable by every role (PUBLIC) out of the box.
-- Our locks serialise reconciles (one per user), the output.csv exporter and its leader, the
-- rebuild and the migrations; NOTIFY wakes the exporter. A role that only reads (the query API's
-- userpipe_reader) must not be able to take those locks (and stall the pipeline) or call
-- pg_notify, so EXECUTE goes from PUBLIC to userpipe_writer, the group of the login the worker
-- and the rebuild use.
--
-- Function privileges live in each database's own catalog: a superuser runs this in template1,
-- so that every database created afterwards (the tests' test_<id>, the benchmarks') starts locked
-- down, and in the application database (infra/local/postgres.sh start; the compose init script).
-- It is idempotent. Migration 003 refuses to run where it has not been applied.
--
-- The NOTIFY statement itself cannot be restricted by any privilege; it can only make the
-- exporter export once more.
DO $$
DECLARE
  f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
     WHERE p.pronamespace = 'pg_catalog'::regnamespace
       AND (p.proname = 'pg_notify' OR p.proname LIKE 'pg\_%advisory\_%')
  LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO userpipe_writer', f);
  END LOOP;
END
$$;
