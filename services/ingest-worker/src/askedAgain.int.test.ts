import { createHash } from 'node:crypto';
import { eventually, TestStack, userCsv } from '@userpipe/shared/testing';
import { startTestWorker } from './testWorker';

// A reconcile that read the bucket without seeing what its event announced asks the event again
// later, through the delay queues (docs/design.md, "Asked again"): a MinIO node rejoining its
// cluster can answer with a key's older state for a while, and no other event would come to
// correct the row. Here the bucket catches up with an event that no event follows.
describe('an event whose reconcile missed what it announced', () => {
  // Delays long enough for the test to change the bucket between two reads, on a loaded machine.
  const DELAYS_MS = [1000, 2000];
  // Waits of 1 + 2 + 2 s: the last delay queue used twice, then the time is up.
  const ASK_AGAIN_FOR_MS = 5000;
  let stack: TestStack;
  const delayQueues = () => DELAYS_MS.map((ms) => `${stack.queue}.delay.${ms}ms`);
  let eventsHandled: (outcome: string) => Promise<number>;

  beforeAll(async () => {
    stack = await TestStack.create();
    const worker = await startTestWorker(stack, { WORKER_RETRY_DELAYS_MS: DELAYS_MS.join(','), WORKER_ASK_AGAIN_FOR_MS: String(ASK_AGAIN_FOR_MS) });
    eventsHandled = async (outcome) => {
      const text = await (await fetch(`${worker.url}/metrics`)).text();
      return Number(new RegExp(`^userpipe_events_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    };
    await stack.put('7.csv', userCsv('One', 'Version', 1));
    await eventually(async () => expect((await stack.user('7'))?.first_name).toBe('One'));
    // From now on the bucket's own events reach no queue of this stack's: only the events sent below do.
    const { exchange, routingKey } = stack.services.notify;
    await (await stack.channel()).unbindQueue(stack.queue, exchange, routingKey);
  });
  afterAll(async () => {
    const ch = await stack.channel();
    for (const queue of delayQueues()) await ch.deleteQueue(queue);
    await stack.dispose();
  });

  /** The event MinIO sends for an upload of these bytes to `key`. */
  const createdEvent = (key: string, body: string) => {
    const eTag = createHash('md5').update(body).digest('hex');
    return JSON.stringify({ EventName: 's3:ObjectCreated:Put', Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: stack.srcBucket }, object: { key, eTag } } }] });
  };

  it('is read again after a delay, and then applies what the bucket holds by then', async () => {
    const second = userCsv('Two', 'Version', 2);
    const unchangedBefore = await eventsHandled('unchanged');
    await stack.sendToQueue(stack.queue, createdEvent('7.csv', second));
    // Its first reconcile reads the version the row holds: the event's is not in the bucket yet.
    await eventually(async () => expect(await eventsHandled('unchanged')).toBe(unchangedBefore + 1));
    expect((await stack.user('7'))?.first_name).toBe('One');

    await stack.put('7.csv', second); // no event of this upload reaches the worker
    await eventually(async () => expect((await stack.user('7'))?.first_name).toBe('Two'), { timeoutMs: 10_000 });
  });

  it('is asked again through the delay queues, the last repeating, until its time is up; then done with: never retried as a failure, never dead-lettered', async () => {
    const unchangedBefore = await eventsHandled('unchanged');
    await stack.sendToQueue(stack.queue, createdEvent('7.csv', userCsv('Never', 'Uploaded', 3)));
    // The first reconcile, then one after each wait: 1 s, 2 s and 2 s again.
    await eventually(async () => expect(await eventsHandled('unchanged')).toBe(unchangedBefore + 4), { timeoutMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // longer than the last delay
    expect(await eventsHandled('unchanged')).toBe(unchangedBefore + 4);
    expect(await eventsHandled('failed')).toBe(0);
    for (const queue of [stack.queue, stack.topology.deadLetterQueue, ...delayQueues()]) expect(await stack.messageCount(queue)).toBe(0);
    expect((await stack.user('7'))?.first_name).toBe('Two');
  });
});
