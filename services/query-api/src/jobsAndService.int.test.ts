import pg from 'pg';
import { eventually, TestStack } from '@userpipe/shared/testing';
import { startTestQueryApi } from './testQueryApi';
import type { RunningQueryApi } from './startQueryApi';

describe('POST /data, jobs, rejections and the service endpoints', () => {
  let stack: TestStack;
  let api: RunningQueryApi;

  beforeAll(async () => {
    stack = await TestStack.create();
    api = await startTestQueryApi(stack);
  });
  afterAll(() => stack.dispose());

  it('POST /data answers 202 with a job id, at once, and announces the job', async () => {
    const res = await fetch(`${api.url}/data`, { method: 'POST' });
    expect(res.status).toBe(202);
    const { job, joined } = (await res.json()) as { job: { id: string; state: string }; joined: boolean };
    expect(job).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), state: 'queued' });
    expect(joined).toBe(false);
    expect(res.headers.get('location')).toBe(`/jobs/${job.id}`);
    const announced = await eventually(async () => {
      const messages = await stack.drain(`rebuild-${stack.id}`);
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(JSON.parse(announced[0]!.content.toString())).toEqual({ jobId: job.id });

    const status = await fetch(`${api.url}/jobs/${job.id}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ id: job.id, state: 'queued', mode: 'default', summary: {}, error: null });
  });

  it('two POSTs in a row give one job', async () => {
    const [a, b] = await Promise.all([fetch(`${api.url}/data`, { method: 'POST' }), fetch(`${api.url}/data`, { method: 'POST' })]);
    const ja = (await a.json()) as { job: { id: string } };
    const jb = (await b.json()) as { job: { id: string } };
    expect(ja.job.id).toBe(jb.job.id);
    const { rows } = await stack.db.query(`SELECT count(*)::int AS n FROM rebuild_jobs WHERE state IN ('queued', 'running')`);
    expect(rows[0].n).toBe(1);
  });

  it('a finished job lets the next POST start a new one', async () => {
    await stack.db.query(`UPDATE rebuild_jobs SET state = 'succeeded', finished_at = now() WHERE state = 'queued'`);
    const res = await fetch(`${api.url}/data`, { method: 'POST' });
    expect(((await res.json()) as { joined: boolean }).joined).toBe(false);
    expect((await stack.db.query('SELECT count(*)::int AS n FROM rebuild_jobs')).rows[0].n).toBe(2);
  });

  it('GET /jobs/{id} of an unknown job is a 404', async () => {
    const res = await fetch(`${api.url}/jobs/00000000-0000-4000-8000-000000000000`);
    expect(res.status).toBe(404);
  });

  it('GET /rejections lists the rejected files with their reasons', async () => {
    await stack.db.query(`INSERT INTO rejected_files (key, user_id, etag, reason) VALUES ('9.csv', '9', 'e9', 'birthts is empty')`);
    expect(await (await fetch(`${api.url}/rejections`)).json()).toEqual([
      { key: '9.csv', user_id: '9', etag: 'e9', reason: 'birthts is empty', rejected_at: expect.any(String) },
    ]);
  });

  it('connects with a role that can read but not write users', async () => {
    const q = stack.services.postgres.query;
    if (!q) throw new Error('these services have no read-only query role (TEST_QUERY_POSTGRES_URL)');
    const reader = new pg.Client({ ...stack.services.postgres, database: stack.database, user: q.user, password: q.password });
    await reader.connect();
    try {
      await expect(reader.query('SELECT count(*) FROM users')).resolves.toBeDefined();
      await expect(reader.query(`UPDATE users SET first_name = 'x'`)).rejects.toMatchObject({ code: '42501' });
      await expect(reader.query(`DELETE FROM rejected_files`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await reader.end();
    }
  });

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${api.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });

  it('counts requests by route and status in /metrics', async () => {
    await fetch(`${api.url}/data?min_age=abc`);
    const text = await (await fetch(`${api.url}/metrics`)).text();
    expect(text).toMatch(/userpipe_api_requests_total\{method="GET",route="\/data",status="400"\} [1-9]/);
    expect(text).toMatch(/userpipe_api_request_duration_seconds_bucket/);
  });

  it('publishes an OpenAPI document generated from the routes, and a docs page', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, Record<string, { parameters?: { name: string; description?: string }[] }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/data', '/jobs/{id}', '/rejections']));
    const minAge = doc.paths['/data']!.get!.parameters!.find((p) => p.name === 'min_age');
    expect(minAge?.description).toMatch(/birthday-aware/);
    expect((await fetch(`${api.url}/docs`)).status).toBe(200);
  });

  it('echoes a request id', async () => {
    const res = await fetch(`${api.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });
});
