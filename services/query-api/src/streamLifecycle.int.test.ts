import pg from 'pg';
import { eventually, TestStack } from '@userpipe/shared/testing';
import { RawGet } from './rawHttp';
import { seedGeneratedUsers, startTestQueryApi } from './testQueryApi';
import type { RunningQueryApi } from './startQueryApi';

// Clients leave early, stop reading, and queries fail: whatever happens to a streamed reply,
// its database connection goes back to the pool and the API keeps answering.
const POOL_SIZE = 3;
const USERS = 120_000; // a full reply (~18 MB of JSON) is far larger than the socket buffers
const STALL_MS = 1500;

async function poolGauges(api: RunningQueryApi): Promise<{ total: number; idle: number; waiting: number }> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^userpipe_api_db_pool_${name} (\\d+)`, 'm').exec(text)?.[1]);
  return { total: gauge('total'), idle: gauge('idle'), waiting: gauge('waiting') };
}

/** Every connection the pool holds is idle again, and nobody waits for one. */
async function poolAtRest(api: RunningQueryApi): Promise<void> {
  await eventually(async () => {
    const pool = await poolGauges(api);
    expect(pool.waiting).toBe(0);
    expect(pool.idle).toBe(pool.total);
  });
}

async function copyBackends(stack: TestStack): Promise<number[]> {
  const { rows } = await stack.db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'COPY%' AND state = 'active'`,
  );
  return rows.map((r) => r.pid);
}

describe('streamed replies give their database connection back however they end', () => {
  let stack: TestStack;
  let api: RunningQueryApi;

  beforeAll(async () => {
    stack = await TestStack.create();
    // The API logs in as the database owner here, so that the test can see (pg_stat_activity)
    // and end (pg_terminate_backend) the API's sessions, as only their own role may.
    const { user, password } = stack.services.postgres;
    api = await startTestQueryApi(stack, {
      settings: { POSTGRES_POOL_SIZE: String(POOL_SIZE), API_STALL_TIMEOUT_MS: String(STALL_MS), QUERY_POSTGRES_USER: user, QUERY_POSTGRES_PASSWORD: password },
    });
    await seedGeneratedUsers(stack, USERS);
  });
  afterAll(() => stack.dispose());

  const kinds = ['/data', '/data?format=csv', '/data?limit=10000', '/data?limit=10000&format=csv'];

  it.each(kinds)('%s: twice the pool size of clients leaving before the first byte, then the API still answers', async (path) => {
    for (let i = 0; i < 2 * POOL_SIZE; i++) new RawGet(api.url, path).leave();
    await poolAtRest(api);
    await everyEndpointAnswers(api);
  });

  it.each(kinds)('%s: twice the pool size of clients leaving in the middle of the body, then the API still answers', async (path) => {
    for (let i = 0; i < 2 * POOL_SIZE; i++) {
      const client = new RawGet(api.url, path);
      await client.untilFirstByte();
      client.leave();
    }
    await poolAtRest(api);
    await eventually(async () => expect(await copyBackends(stack)).toEqual([]));
    await everyEndpointAnswers(api);
  });

  it('cuts off a client that stops reading once nothing moves for the stall timeout', async () => {
    const stalled = Array.from({ length: 2 * POOL_SIZE }, () => new RawGet(api.url, '/data'));
    for (const client of stalled) client.stopReading();
    await eventually(async () => {
      const pool = await poolGauges(api);
      expect(pool.total - pool.idle).toBe(POOL_SIZE); // every connection busy with a stalled reply
    });
    await poolAtRest(api);
    for (const client of stalled) {
      await client.readToEnd();
      expect(client.complete).toBe(false);
    }
    await everyEndpointAnswers(api);
  });

  it('ends the reply, truncated, when the query fails in the middle of the body', async () => {
    const client = new RawGet(api.url, '/data', { holdAtFirstByte: true });
    await client.untilFirstByte();
    const [pid] = await eventually(async () => {
      const pids = await copyBackends(stack);
      expect(pids).toHaveLength(1);
      return pids;
    });
    await stack.db.query('SELECT pg_terminate_backend($1)', [pid]);
    await client.readToEnd();
    expect(client.head).toMatch(/^HTTP\/1\.1 200/);
    expect(client.complete).toBe(false);
    await poolAtRest(api);
    await everyEndpointAnswers(api);
  });

  it('answers 500, saying nothing internal, when the query fails before its first row', async () => {
    await whileUsersLocked(stack, async () => {
      const reply = fetch(`${api.url}/data?format=csv`);
      const [pid] = await eventually(async () => {
        const { rows } = await stack.db.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%' AND wait_event_type = 'Lock'`,
        );
        expect(rows).toHaveLength(1);
        return rows.map((r) => r.pid);
      });
      await stack.db.query('SELECT pg_terminate_backend($1)', [pid]);
      const res = await reply;
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
    });
    await poolAtRest(api);
  });

  it('cuts off a reply whose query hangs before its first row, and frees its place in the pool', async () => {
    await whileUsersLocked(stack, async () => {
      const waiting = Array.from({ length: 2 * POOL_SIZE }, () => new RawGet(api.url, '/data'));
      await Promise.all(waiting.map((c) => c.closed));
      // The lock is still held: what answers now got a fresh connection, not a stuck one.
      expect((await poolGauges(api)).waiting).toBe(0);
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    });
    await poolAtRest(api);
    await everyEndpointAnswers(api);
  });
});

describe('/healthz', () => {
  let stack: TestStack;
  let api: RunningQueryApi;

  beforeAll(async () => {
    stack = await TestStack.create();
    api = await startTestQueryApi(stack, { settings: { POSTGRES_POOL_SIZE: '2', API_STALL_TIMEOUT_MS: '60000', API_POOL_STARVED_MS: '300' } });
    await seedGeneratedUsers(stack, USERS);
  });
  afterAll(() => stack.dispose());

  it('fails while the pool has had no free connection for longer than API_POOL_STARVED_MS, and recovers', async () => {
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    // Each holds a connection until it leaves.
    const holders = Array.from({ length: 2 }, () => new RawGet(api.url, '/data', { holdAtFirstByte: true }));
    for (const client of holders) await client.untilFirstByte();
    const stuck = await eventually(async () => {
      const res = await fetch(`${api.url}/healthz`);
      expect(res.status).toBe(503);
      return res.json();
    });
    expect(stuck).toMatchObject({ status: 'stuck', pool: { total: 2, idle: 0 } });
    for (const client of holders) client.leave();
    await eventually(async () => expect((await fetch(`${api.url}/healthz`)).status).toBe(200));
  });
});

/** Runs `fn` while another session holds an exclusive lock on users: every query of it waits. */
async function whileUsersLocked(stack: TestStack, fn: () => Promise<void>): Promise<void> {
  const locker = new pg.Client({ ...stack.services.postgres, database: stack.database });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    await fn();
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
}

/** Each kind of request the API serves, answered as usual. */
async function everyEndpointAnswers(api: RunningQueryApi): Promise<void> {
  const json = await fetch(`${api.url}/data?limit=2`);
  expect(json.status).toBe(200);
  expect(((await json.json()) as unknown[]).length).toBe(2);
  const csv = await fetch(`${api.url}/data?limit=2&format=csv`);
  expect((await csv.text()).trim().split('\n')).toHaveLength(3);
  const all = await fetch(`${api.url}/data?min_age=0`);
  expect(((await all.json()) as unknown[]).length).toBe(USERS);
  expect((await fetch(`${api.url}/rejections`)).status).toBe(200);
  expect((await fetch(`${api.url}/jobs/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
}
