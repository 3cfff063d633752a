import { eventually, TestStack, userCsv } from '@userpipe/shared/testing';
import { startTestWorker } from './testWorker';

// Events are hints: whatever order they arrive in, however often, the rows end up matching
// the bucket, because every event makes the worker read the bucket as it is now.
describe('events delivered twice or out of order', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
  });
  afterAll(() => stack.dispose());

  /** Does the bucket operations with no worker running and returns the events they produced. */
  async function recordEvents(operations: () => Promise<void>) {
    const worker = await startTestWorker(stack); // declares the queue and subscribes the bucket
    await worker.stop();
    await operations();
    // Both of MinIO's targets deliver (the durable one up to 3 s later): wait for all of them.
    const expected = stack.services.notify.fastTargetId ? 2 : 1;
    let events: Buffer[] = [];
    await eventually(async () => {
      events = [...events, ...(await stack.drain(stack.queue)).map((m) => m.content)];
      expect(events.length).toBeGreaterThanOrEqual(expected * operationsCount);
    }, { timeoutMs: 10_000, intervalMs: 200 });
    return events;
  }
  let operationsCount = 0;

  it('reaches the bucket state when the events come in reverse, each twice', async () => {
    operationsCount = 5;
    const events = await recordEvents(async () => {
      await stack.put('1.csv', userCsv('First', 'Version', 1));
      await stack.put('1.png', 'png');
      await stack.put('1.csv', userCsv('Second', 'Version', 2));
      await stack.put('2.csv', userCsv('Gone', 'Soon', 3));
      await stack.remove('2.csv');
    });
    for (const body of [...events].reverse()) {
      await stack.sendToQueue(stack.queue, body);
      await stack.sendToQueue(stack.queue, body);
    }
    await startTestWorker(stack);
    await stack.queueSettled();
    await eventually(async () =>
      expect(await stack.users()).toEqual([
        { user_id: '1', first_name: 'Second', last_name: 'Version', birthts: 2, img_path: `${stack.srcBucket}/1.png` },
      ]),
    );
  });

  it('a stale create event after a delete does not bring the user back', async () => {
    await stack.put('3.csv', userCsv('Short', 'Lived', 5));
    await eventually(async () => expect(await stack.user('3')).toBeDefined());
    const created = JSON.stringify({
      EventName: 's3:ObjectCreated:Put',
      Records: [{ eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: stack.srcBucket }, object: { key: '3.csv' } } }],
    });
    await stack.remove('3.csv');
    await eventually(async () => expect(await stack.user('3')).toBeUndefined());
    await stack.sendToQueue(stack.queue, created);
    await stack.queueSettled();
    await new Promise((r) => setTimeout(r, 300));
    expect(await stack.user('3')).toBeUndefined();
  });
});
