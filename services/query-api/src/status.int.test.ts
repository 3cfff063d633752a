import amqp from 'amqplib';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportOutputCsv } from '@userpipe/shared';
import { eventually, TestStack } from '@userpipe/shared/testing';
import type { RunningQueryApi } from './startQueryApi';
import type { PipelineStatus } from './schemas';
import { freePort, seedGeneratedUsers, startTestQueryApi } from './testQueryApi';

/** A health server that answers /readyz as ours do. */
async function healthServer(status: number, body: object): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => res.writeHead(req.url === '/readyz' ? status : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('GET /status', () => {
  let stack: TestStack;
  let api: RunningQueryApi;
  const servers: { close(): Promise<void> }[] = [];
  let deadPort: number;
  const status = async () => (await (await fetch(`${api.url}/status`)).json()) as PipelineStatus;

  beforeAll(async () => {
    stack = await TestStack.create();
    const ready = await healthServer(200, { status: 'ready', checks: { postgres: 'ok' } });
    const failing = await healthServer(503, { status: 'not ready', checks: { postgres: 'ok', rabbitmq: 'not consuming' } });
    servers.push(ready, failing);
    deadPort = await freePort();
    api = await startTestQueryApi(stack, { settings: { API_STATUS_SERVICES: `ingest-worker=${ready.url},rebuild=${failing.url},other=http://127.0.0.1:${deadPort}` } });

    // The worker's queues, as it names them, but not bound to MinIO's exchange: every test file's
    // bucket events reach every bound queue, which would make these depths move under the test.
    const ch = await stack.channel();
    const t = stack.topology;
    for (const name of [t.queue, t.deadLetterQueue, t.retryQueues[0]!.name]) await ch.assertQueue(name, { durable: true });
    for (let i = 0; i < 7; i++) await stack.sendToQueue(t.queue, `{"n":${i}}`);
    for (let i = 0; i < 2; i++) await stack.sendToQueue(t.deadLetterQueue, 'failed');
    await stack.sendToQueue(t.retryQueues[0]!.name, 'waiting');
    await eventually(async () => expect(await stack.messageCount(t.queue)).toBe(7));
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await stack.dispose();
  });

  it('gives each queue\'s depth and consumers as RabbitMQ counts them', async () => {
    // A consumer that holds one message unacknowledged: 6 ready, 1 consumer.
    const connection = await amqp.connect(stack.amqpUrl());
    const consumer = await connection.createChannel();
    await consumer.prefetch(1);
    const delivered = new Promise<void>((resolve) => void consumer.consume(stack.queue, () => resolve(), { noAck: false }));
    await delivered;
    try {
      const t = stack.topology;
      const s = await eventually(async () => {
        const current = await status();
        expect(current.queues.ingest.consumers).toBe(1);
        return current;
      });
      expect(s.queues.ingest).toEqual({ name: t.queue, messages: 6, consumers: 1, error: null });
      expect(s.queues.ingest.messages).toBe((await (await stack.channel()).checkQueue(t.queue)).messageCount);
      expect(s.queues.dead_letters).toEqual({ name: t.deadLetterQueue, messages: 2, consumers: 0, error: null, replay: 'make replay-dead-letters' });
      expect(s.queues.retries).toEqual([
        { name: t.retryQueues[0]!.name, delay_ms: 200, messages: 1, consumers: 0, error: null },
        // Declared by the worker when it starts; until then it is said to be missing, not zero.
        { name: t.retryQueues[1]!.name, delay_ms: 400, messages: null, consumers: null, error: 'the queue does not exist (yet)' },
      ]);
      expect(s.queues.rebuild_requests).toEqual({ name: stack.rebuildQueue, messages: 0, consumers: 0, error: null });
    } finally {
      await connection.close();
    }
  });

  it('reports each service\'s readiness, and why one is not ready', async () => {
    const s = await status();
    expect(s.services).toEqual([
      { name: 'ingest-worker', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), ok: true, detail: null },
      { name: 'rebuild', url: expect.any(String), ok: false, detail: 'rabbitmq: not consuming' },
      { name: 'other', url: `http://127.0.0.1:${deadPort}`, ok: false, detail: 'unreachable: ECONNREFUSED' },
    ]);
    expect(s.dependencies).toEqual([
      { name: 'postgres', ok: true, detail: null },
      { name: 'rabbitmq', ok: true, detail: null },
      { name: 'minio', ok: true, detail: null },
    ]);
  });

  it('gives the latest export of output.csv: when, rows, size and seconds', async () => {
    await seedGeneratedUsers(stack, 30);
    await stack.minio.makeBucket(stack.resBucket).catch(() => undefined);
    const before = Date.now();
    await exportOutputCsv(stack.db, stack.minio, { bucket: stack.resBucket, key: 'output.csv' });
    const size = (await stack.minio.statObject(stack.resBucket, 'output.csv')).size;
    const s = await eventually(async () => {
      const current = await status();
      expect(current.output_export).not.toBeNull();
      return current;
    });
    expect(s.output_export).toEqual({ finished_at: expect.any(String), rows: 30, bytes: size, seconds: expect.any(Number) });
    expect(Date.parse(s.output_export!.finished_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(s.output_export!.seconds).toBeLessThan(30);
  });

  it('counts users and rejections, and shows the rebuild that runs with its progress', async () => {
    await stack.db.query(`INSERT INTO rejected_files (key, user_id, etag, reason) VALUES ('a.csv', 'a', 'e', 'x'), ('b.csv', 'b', 'e', 'y')`);
    const { rows } = await stack.db.query<{ id: string }>(
      `INSERT INTO rebuild_jobs (state, started_at, summary) VALUES ('running', now(), '{"seen": 30, "unchanged": 12}') RETURNING id`,
    );
    try {
      const s = await eventually(async () => {
        const current = await status();
        expect(current.active_job?.id).toBe(rows[0]!.id);
        return current;
      });
      const users = (await stack.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')).rows[0]!.n;
      expect(s.counts).toEqual({ users: { count: users, exact: true }, rejections: { count: 2, exact: true } });
      expect(s.active_job).toMatchObject({ state: 'running', progress: { done: 12, total: 30 } });
    } finally {
      await stack.db.query(`UPDATE rebuild_jobs SET state = 'succeeded', finished_at = now() WHERE id = $1`, [rows[0]!.id]);
    }
  });

  it('still answers when RabbitMQ and Postgres cannot be reached, saying why', async () => {
    const port = String(await freePort());
    const blind = await startTestQueryApi(stack, { settings: { RABBITMQ_PORT: port, POSTGRES_PORT: port } });
    const res = await fetch(`${blind.url}/status`);
    expect(res.status).toBe(200);
    const s = (await res.json()) as PipelineStatus;
    expect(s.queues.ingest).toMatchObject({ messages: null, error: expect.stringMatching(/^RabbitMQ unreachable/) });
    expect(s.counts).toBeNull();
    expect(s.output_export).toBeNull();
    expect(s.dependencies).toEqual([
      { name: 'postgres', ok: false, detail: expect.stringMatching(/ECONNREFUSED/) },
      { name: 'rabbitmq', ok: false, detail: expect.stringMatching(/^RabbitMQ unreachable/) },
      { name: 'minio', ok: true, detail: null },
    ]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, { get?: { responses: Record<string, unknown> } }> };
    expect(Object.keys(doc.paths['/status']!.get!.responses)).toEqual(expect.arrayContaining(['200', '400']));
  });
});

describe('counts of a large table', () => {
  let stack: TestStack;
  let api: RunningQueryApi;

  beforeAll(async () => {
    stack = await TestStack.create();
    api = await startTestQueryApi(stack);
    await seedGeneratedUsers(stack, 100_010);
    await stack.db.query('ANALYZE users');
  });
  afterAll(() => stack.dispose());

  it('GET /data/count stops at 10,000 and says there are more', async () => {
    expect(await (await fetch(`${api.url}/data/count`)).json()).toEqual({ count: 10_000, capped: true });
    expect(await (await fetch(`${api.url}/data/count?min_age=200`)).json()).toEqual({ count: 0, capped: false });
  });

  it('GET /status gives the planner\'s estimate beyond 100,000 users, marked as such', async () => {
    const s = (await (await fetch(`${api.url}/status`)).json()) as PipelineStatus;
    expect(s.counts!.users.exact).toBe(false);
    // ANALYZE samples; its estimate of a freshly filled table is close, not exact.
    expect(s.counts!.users.count).toBeGreaterThan(90_000);
    expect(s.counts!.users.count).toBeLessThan(110_000);
  });
});
