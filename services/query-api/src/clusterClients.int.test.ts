import { eventually, TcpProxy, TestStack } from '@userpipe/shared/testing';
import { seedUsers, startTestQueryApi } from './testQueryApi';
import type { RunningQueryApi } from './startQueryApi';

// The query API in a clustered deployment: users read from a replica (POSTGRES_READ_HOST), jobs
// from the primary, and rebuild requests published on whichever RabbitMQ node is alive. The
// "replica" is a proxy in front of the test database, so the test sees which queries reach it
// and can take it away; each RabbitMQ "node" is a proxy in front of the one real broker.
describe('the query API in a cluster', () => {
  let stack: TestStack;
  let api: RunningQueryApi;
  let replica: TcpProxy;
  let brokers: TcpProxy[];
  const throughReplica: string[] = [];

  beforeAll(async () => {
    stack = await TestStack.create();
    replica = await new TcpProxy(stack.services.postgres).start();
    replica.onRequest = (head) => void throughReplica.push(head);
    brokers = await Promise.all([0, 1].map(() => new TcpProxy(stack.services.rabbitmq).start()));
    for (const proxy of [replica, ...brokers]) stack.onDispose(() => proxy.stop());
    api = await startTestQueryApi(stack, {
      settings: {
        POSTGRES_READ_HOST: '127.0.0.1',
        POSTGRES_READ_PORT: String(replica.port),
        RABBITMQ_HOST: brokers.map((b) => `127.0.0.1:${b.port}`).join(','),
      },
    });
    await seedUsers(stack, [{ user_id: '1', first_name: 'Ada', last_name: 'Lovelace', birthts: Date.UTC(1990, 0, 1) }]);
  });
  afterAll(() => stack.dispose());

  it('reads users from the replica and jobs from the primary', async () => {
    throughReplica.length = 0;
    const users = await fetch(`${api.url}/data`);
    expect(await users.json()).toEqual([expect.objectContaining({ user_id: '1', first_name: 'Ada' })]);
    expect(throughReplica.some((head) => head.includes('FROM users'))).toBe(true);

    throughReplica.length = 0;
    expect((await fetch(`${api.url}/jobs`)).status).toBe(200);
    expect(throughReplica.some((head) => head.includes('rebuild_jobs'))).toBe(false);
  });

  it('/readyz reports the replica and its lag (none: this "replica" is a primary)', async () => {
    const res = await fetch(`${api.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', readReplica: { replica: false, lagSeconds: null } });
  });

  it('publishes a rebuild request on another node when its own died', async () => {
    await fetch(`${api.url}/data`, { method: 'POST' }).then((r) => r.json());
    await eventually(async () => expect(await stack.drain(`rebuild-${stack.id}`)).toHaveLength(1));
    await stack.db.query(`UPDATE rebuild_jobs SET state = 'succeeded', finished_at = now()`);
    const [inUse, other] = brokers[0]!.connections > 0 ? [brokers[0]!, brokers[1]!] : [brokers[1]!, brokers[0]!];
    await inUse.stop();

    const res = await fetch(`${api.url}/data`, { method: 'POST' });
    const { job } = (await res.json()) as { job: { id: string } };
    const announced = await eventually(async () => {
      const messages = await stack.drain(`rebuild-${stack.id}`);
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(JSON.parse(announced[0]!.content.toString())).toEqual({ jobId: job.id });
    expect(other.connections).toBeGreaterThan(0);
  });

  it('without its replica it is not ready and cannot list users, but jobs still answer', async () => {
    await replica.stop();
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', readReplica: expect.any(String) });
    expect((await fetch(`${api.url}/data`)).status).toBeGreaterThanOrEqual(500);
    expect((await fetch(`${api.url}/jobs`)).status).toBe(200);
  });
});
