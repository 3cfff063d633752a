import amqp from 'amqplib';
import { ATTEMPT_HEADER, ERROR_HEADER, replayDeadLetters } from '@userpipe/shared';
import { eventually, TestStack, userCsv } from '@userpipe/shared/testing';
import { startTestWorker } from './testWorker';

// A message that keeps failing for an infrastructure reason is retried with backoff, then
// parked in the dead-letter queue; bad user files are not such failures and never get there.
describe('retries and the dead-letter queue', () => {
  let stack: TestStack;

  let metricsUrl: string;

  beforeAll(async () => {
    stack = await TestStack.create();
    const worker = await startTestWorker(stack, { WORKER_MAX_ATTEMPTS: '3', WORKER_RETRY_DELAYS_MS: '100,200' });
    metricsUrl = `${worker.url}/metrics`;
  });

  async function failures(): Promise<number> {
    const text = await (await fetch(metricsUrl)).text();
    return Number(/^userpipe_events_total\{outcome="failed"\} (\d+)/m.exec(text)?.[1] ?? 0);
  }
  afterAll(() => stack.dispose());

  it('dead-letters a message that always fails, after its attempts, with the last error', async () => {
    // The table the worker writes to disappears: every reconcile fails.
    await stack.db.query('ALTER TABLE users RENAME TO users_away');
    try {
      await stack.sendToQueue(
        stack.queue,
        JSON.stringify({ Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: stack.srcBucket }, object: { key: '7.csv' } } }] }),
      );
      const [dead] = await eventually(async () => {
        const messages = await stack.drain(stack.topology.deadLetterQueue);
        expect(messages).toHaveLength(1);
        return messages;
      });
      expect(dead!.properties.headers?.[ATTEMPT_HEADER]).toBe(3);
      expect(String(dead!.properties.headers?.[ERROR_HEADER])).toMatch(/relation "users" does not exist/);
      expect(JSON.parse(dead!.content.toString()).Records[0].s3.object.key).toBe('7.csv');
    } finally {
      await stack.db.query('ALTER TABLE users_away RENAME TO users');
    }
  });

  it('replays dead letters once the cause is gone, and they are then handled', async () => {
    await stack.db.query('ALTER TABLE users RENAME TO users_away');
    try {
      await stack.put('6.csv', userCsv('Parked', 'ForAWhile', 6));
      await eventually(async () => expect(await stack.messageCount(stack.topology.deadLetterQueue)).toBeGreaterThan(0), { timeoutMs: 20_000 });
    } finally {
      await stack.db.query('ALTER TABLE users_away RENAME TO users');
    }
    // The durable copy of the event may still be retried successfully; what matters is that the parked one is replayed.
    const r = stack.services.rabbitmq;
    const connection = await amqp.connect(`amqp://${encodeURIComponent(r.user)}:${encodeURIComponent(r.password)}@${r.host}:${r.port}`);
    try {
      const moved = await replayDeadLetters(await connection.createConfirmChannel(), stack.topology.deadLetterQueue, stack.queue);
      expect(moved).toBeGreaterThan(0);
    } finally {
      await connection.close();
    }
    await eventually(async () => expect(await stack.user('6')).toMatchObject({ first_name: 'Parked' }));
    expect(await stack.messageCount(stack.topology.deadLetterQueue)).toBe(0);
  });

  it('recovers when the failure goes away before the attempts run out', async () => {
    await stack.put('8.csv', userCsv('Patient', 'User', 8));
    await eventually(async () => expect(await stack.user('8')).toBeDefined());
    const failedBefore = await failures();
    await stack.db.query('ALTER TABLE users RENAME TO users_away');
    await stack.put('8.csv', userCsv('Patient', 'User', 88));
    await eventually(async () => expect(await failures()).toBeGreaterThan(failedBefore), { intervalMs: 10 });
    await stack.db.query('ALTER TABLE users_away RENAME TO users');
    await eventually(async () => expect((await stack.user('8'))?.birthts).toBe(88));
    expect(await stack.messageCount(stack.topology.deadLetterQueue)).toBe(0);
  });

  it('dead-letters an undecodable message at once, without retrying it', async () => {
    await stack.sendToQueue(stack.queue, 'this is not a bucket notification');
    const [dead] = await eventually(async () => {
      const messages = await stack.drain(stack.topology.deadLetterQueue);
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(dead!.properties.headers?.[ATTEMPT_HEADER]).toBe(1);
    expect(String(dead!.properties.headers?.[ERROR_HEADER])).toMatch(/not JSON/);
  });

  it('never dead-letters a bad user file: it is a rejection, not a failure', async () => {
    await stack.put('9.csv', 'not,a,user,file');
    await eventually(async () => expect((await stack.rejections()).map((r) => r.key)).toContain('9.csv'));
    await stack.queueSettled();
    expect(await stack.messageCount(stack.topology.deadLetterQueue)).toBe(0);
  });
});
