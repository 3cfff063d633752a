import pg from 'pg';
import { advisoryKey } from '../advisoryKey';
import { TestStack } from '../../testing';
import { requestRebuild, selectRebuildJob } from './rebuildJobs';

// The query API's role (userpipe_reader) reads, and asks for rebuilds through request_rebuild()
// (migration 003), nothing more: it may not write rebuild_jobs itself, call pg_notify, or take
// the advisory locks that serialise reconciles, the exporter, the rebuild and the migrations.
describe("the query API's database role", () => {
  let stack: TestStack;
  let reader: pg.Client;

  beforeAll(async () => {
    stack = await TestStack.create();
    await stack.migrate();
    const q = stack.services.postgres.query;
    if (!q) throw new Error('these services have no read-only query role (TEST_QUERY_POSTGRES_URL)');
    reader = new pg.Client({ ...stack.services.postgres, database: stack.database, user: q.user, password: q.password });
    await reader.connect();
  });
  afterAll(async () => {
    await reader?.end();
    await stack.dispose();
  });
  beforeEach(() => stack.db.query('DELETE FROM rebuild_jobs'));

  const denied = { code: '42501' };

  it('cannot write rebuild_jobs directly', async () => {
    await expect(reader.query(`INSERT INTO rebuild_jobs (state, summary) VALUES ('succeeded', '{"inserted": 1}')`)).rejects.toMatchObject(denied);
    await expect(reader.query(`INSERT INTO rebuild_jobs DEFAULT VALUES`)).rejects.toMatchObject(denied);
    await stack.db.query(`INSERT INTO rebuild_jobs (requested_by) VALUES ('test')`);
    await expect(reader.query(`UPDATE rebuild_jobs SET state = 'failed'`)).rejects.toMatchObject(denied);
    await expect(reader.query(`DELETE FROM rebuild_jobs`)).rejects.toMatchObject(denied);
  });

  it('cannot call pg_notify', async () => {
    await expect(reader.query(`SELECT pg_notify('users_changed', '')`)).rejects.toMatchObject(denied);
  });

  it('cannot take advisory locks, shared or exclusive, session or transaction', async () => {
    const key = advisoryKey('export-leader');
    for (const fn of ['pg_advisory_lock', 'pg_try_advisory_lock', 'pg_advisory_lock_shared', 'pg_advisory_xact_lock', 'pg_try_advisory_xact_lock']) {
      await expect(reader.query(`SELECT ${fn}($1)`, [key])).rejects.toMatchObject(denied);
    }
    await expect(reader.query(`SELECT pg_advisory_lock(1, 2)`)).rejects.toMatchObject(denied);
    await expect(reader.query(`SELECT pg_advisory_unlock_all()`)).rejects.toMatchObject(denied);
  });

  it('while the writer still can', async () => {
    const client = await stack.db.connect();
    try {
      await client.query(`SELECT pg_notify('users_changed', '')`);
      expect((await client.query(`SELECT pg_try_advisory_lock($1) AS won`, [advisoryKey('test')])).rows[0].won).toBe(true);
      await client.query(`SELECT pg_advisory_unlock_all()`);
    } finally {
      client.release();
    }
  });

  it('asks for a rebuild through request_rebuild, which queues a job or joins the active one', async () => {
    const first = await requestRebuild(reader, '10.0.0.1', 'default');
    expect(first).toMatchObject({ created: true, job: { state: 'queued', mode: 'default', summary: {}, error: null, started_at: null } });
    const second = await requestRebuild(reader, '10.0.0.2', 'default');
    expect(second).toMatchObject({ created: false, job: { id: first.job.id, mode: 'default' } });
    // A full request makes the queued job full.
    expect(await requestRebuild(reader, '10.0.0.3', 'full')).toMatchObject({ created: false, job: { id: first.job.id, mode: 'full' } });
    expect((await stack.db.query('SELECT requested_by FROM rebuild_jobs')).rows).toEqual([{ requested_by: '10.0.0.1' }]);
  });

  it('joins a running job without changing it, and starts a new one once it is done', async () => {
    const { job } = await requestRebuild(reader, 'api', 'default');
    await stack.db.query(`UPDATE rebuild_jobs SET state = 'running', started_at = now() WHERE id = $1`, [job.id]);
    expect(await requestRebuild(reader, 'api', 'full')).toMatchObject({ created: false, job: { id: job.id, state: 'running', mode: 'default' } });
    await stack.db.query(`UPDATE rebuild_jobs SET state = 'succeeded', finished_at = now() WHERE id = $1`, [job.id]);
    const next = await requestRebuild(reader, 'api', 'full');
    expect(next).toMatchObject({ created: true, job: { state: 'queued', mode: 'full' } });
    expect(next.job.id).not.toBe(job.id);
  });

  it('cannot make request_rebuild set a state or a summary', async () => {
    // There is no way to pass one: the function takes who asks and the mode, nothing else.
    await expect(reader.query(`SELECT * FROM request_rebuild('api', 'default', 'succeeded')`)).rejects.toMatchObject({ code: '42883' });
    await expect(reader.query(`SELECT * FROM request_rebuild(p_requested_by => 'api', state => 'succeeded')`)).rejects.toMatchObject({ code: '42883' });
    await expect(reader.query(`SELECT * FROM request_rebuild('api', 'succeeded')`)).rejects.toMatchObject({ code: '23514' });
    // Nor hand it a table of its own in place of rebuild_jobs.
    await reader.query(`CREATE TEMP TABLE rebuild_jobs (id uuid, state text, mode text, requested_by text, requested_at timestamptz, started_at timestamptz, finished_at timestamptz, summary jsonb, error text)`);
    const { job } = await requestRebuild(reader, 'api', 'default');
    expect(await selectRebuildJob(stack.db, job.id)).toMatchObject({ state: 'queued', summary: {} });
    expect((await reader.query('SELECT count(*)::int AS n FROM pg_temp.rebuild_jobs')).rows[0].n).toBe(0);
    await reader.query('DROP TABLE pg_temp.rebuild_jobs');
  });

  it('is what the owner uses too (the rebuild service and make rebuild)', async () => {
    const { job, created } = await requestRebuild(stack.db, 'cli', 'full');
    expect(created).toBe(true);
    expect(job).toMatchObject({ state: 'queued', mode: 'full' });
  });
});
