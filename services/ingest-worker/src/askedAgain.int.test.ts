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
  let metricsText: () => Promise<string>;

  beforeAll(async () => {
    stack = await TestStack.create();
    const worker = await startTestWorker(stack, { WORKER_RETRY_DELAYS_MS: DELAYS_MS.join(','), WORKER_ASK_AGAIN_FOR_MS: String(ASK_AGAIN_FOR_MS) });
    metricsText = async () => (await fetch(`${worker.url}/metrics`)).text();
    eventsHandled = async (outcome) => Number(new RegExp(`^userpipe_events_total\\{outcome="${outcome}"\\} (\\d+)`, 'm').exec(await metricsText())?.[1] ?? 0);
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
  /** The event MinIO sends for a DELETE of `key` in the versioned source bucket, made at `time`. */
  const removedEvent = (key: string, time = new Date()) =>
    JSON.stringify({
      EventName: 's3:ObjectRemoved:DeleteMarkerCreated',
      Records: [{ eventName: 's3:ObjectRemoved:DeleteMarkerCreated', eventTime: time.toISOString(), s3: { bucket: { name: stack.srcBucket }, object: { key } } }],
    });
  const unannouncedRemovals = async () => Number(/^userpipe_unannounced_changes_total (\d+)/m.exec(await metricsText())?.[1] ?? 0);
  /** Reconciles that read the user (a recheck's outcomes), as against a removal's own ('deleted'). */
  const reconciled = async () => (await Promise.all(['absent', 'inserted', 'unchanged'].map((outcome) => eventsHandled(outcome)))).reduce((a, b) => a + b);
  /**
   * Rechecked after each wait (1 s, 2 s and 2 s again) until its time is up, whatever it finds;
   * then done with: never failed, never dead-lettered. Waited out in full, so that no recheck is
   * still on its way when the next test looks at the queues.
   */
  const rechecksDone = async (reconciledBefore: number) => {
    await eventually(async () => expect(await reconciled()).toBe(reconciledBefore + 3), { timeoutMs: 15_000 });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // longer than the last delay
    expect(await reconciled()).toBe(reconciledBefore + 3);
    await delaysEmpty();
    expect(await eventsHandled('failed')).toBe(0);
    expect(await stack.messageCount(stack.topology.deadLetterQueue)).toBe(0);
  };
  const delaysEmpty = async () => {
    for (const queue of [stack.queue, ...delayQueues()]) expect(await stack.messageCount(queue)).toBe(0);
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

  // The other read a stale one can make: the event's own change is in place (a picture's
  // removal), but the csv, which no event announced, reads absent, and the row goes. No event
  // would bring it back before the nightly rebuild, so the user is read again a while.
  it("a row removed while no event removed its csv is read again, and comes back once the csv reads again", async () => {
    const body = userCsv('Eight', 'Back', 8);
    await stack.put('8.csv', body);
    await stack.put('8.png', 'not really a png');
    await stack.sendToQueue(stack.queue, createdEvent('8.csv', body));
    await eventually(async () => expect((await stack.user('8'))?.img_path).toBe(`${stack.srcBucket}/8.png`));
    const before = await unannouncedRemovals();
    const reconciledBefore = await reconciled();

    await stack.remove('8.csv'); // as a stale read would show it: no event of it reaches the worker
    await stack.remove('8.png');
    await stack.sendToQueue(stack.queue, removedEvent('8.png'));
    await eventually(async () => expect(await unannouncedRemovals()).toBe(before + 1));
    expect(await stack.user('8')).toBeUndefined();

    await stack.put('8.csv', body); // the csv reads again; still no event
    await eventually(async () => expect((await stack.user('8'))?.first_name).toBe('Eight'), { timeoutMs: 10_000 });
    await rechecksDone(reconciledBefore);
    expect(await unannouncedRemovals()).toBe(before + 1);
  });

  // A node-loss run lost rows so: a csv removed, then uploaded again while a MinIO node was down;
  // a late copy of the removal's event, read through the node come back (which had missed the
  // new upload), showed the csv absent, and the row went. The removal was announced, but it is
  // older than the row, which was read after it: it cannot explain the row's removal.
  it('a row removed on a late copy of a removal older than the row is read again, and comes back once the csv reads again', async () => {
    const removedAt = new Date(); // the removal the late copy tells of: before the upload below
    await new Promise((resolve) => setTimeout(resolve, 20));
    const body = userCsv('Ten', 'Again', 10);
    await stack.put('10.csv', body);
    await stack.sendToQueue(stack.queue, createdEvent('10.csv', body));
    await eventually(async () => expect((await stack.user('10'))?.first_name).toBe('Ten'));
    const before = await unannouncedRemovals();
    const reconciledBefore = await reconciled();

    await stack.remove('10.csv'); // as the stale node shows it
    await stack.sendToQueue(stack.queue, removedEvent('10.csv', removedAt));
    await eventually(async () => expect(await unannouncedRemovals()).toBe(before + 1));
    expect(await stack.user('10')).toBeUndefined();

    await stack.put('10.csv', body); // the node has caught up; no event
    await eventually(async () => expect((await stack.user('10'))?.first_name).toBe('Ten'), { timeoutMs: 10_000 });
    // Waiting only until the queues read empty once let the next test start with a recheck of
    // this user in flight (between its delay queue and the worker), which that test then found.
    await rechecksDone(reconciledBefore);
  });

  it('a row removed by the removal of its csv, announced by its event, is not read again', async () => {
    await stack.put('9.csv', userCsv('Nine', 'Gone', 9));
    await stack.sendToQueue(stack.queue, createdEvent('9.csv', userCsv('Nine', 'Gone', 9)));
    await eventually(async () => expect((await stack.user('9'))?.first_name).toBe('Nine'));
    const before = await unannouncedRemovals();
    const deletedBefore = await eventsHandled('deleted');

    await stack.remove('9.csv');
    await stack.sendToQueue(stack.queue, removedEvent('9.csv'));
    await eventually(async () => expect(await eventsHandled('deleted')).toBe(deletedBefore + 1));
    expect(await stack.user('9')).toBeUndefined();
    await delaysEmpty();
    expect(await unannouncedRemovals()).toBe(before);
  });
});
