import { createLogger, EventDecodeError, reconcileUsers, type ReconcileDeps } from '@userpipe/shared';
import { advisoryLockWaiters, eventually, holdUserLocks, recordingReconcileDeps, TestStack, userCsv, usersFromBucket, type ObjectCall, type UserRowView } from '@userpipe/shared/testing';
import { createIngestBatches } from './ingestBatches';
import { createWorkerMetrics } from './metrics';

// The worker's core, fed deliveries by hand (no RabbitMQ), against a real MinIO and Postgres.

describe('micro-batches of deliveries', () => {
  let stack: TestStack;
  let deps: ReconcileDeps;
  let calls: ObjectCall[];
  const metrics = createWorkerMetrics();

  const event = (eventName: string, key: string, etag?: string) =>
    Buffer.from(JSON.stringify({ Records: [{ eventName, s3: { bucket: { name: stack.srcBucket }, object: { key: encodeURIComponent(key), ...(etag && { eTag: etag }) } } }] }));
  const created = async (key: string) => event('s3:ObjectCreated:Put', key, await stack.etag(key));
  const removed = (key: string) => event('s3:ObjectRemoved:Delete', key);
  const batches = (maxBatch = 100, over: Partial<Parameters<typeof createIngestBatches>[0]> = {}) =>
    createIngestBatches({ deps, maxBatch, maxWaitMs: 50, metrics, logger: createLogger('ingest-worker', process.env.TEST_LOG_LEVEL ?? 'silent'), ...over });
  const handleAll = (b: ReturnType<typeof batches>, bodies: Buffer[]) => Promise.allSettled(bodies.map((body) => b.handle({ body, attempt: 1 })));

  beforeAll(async () => {
    stack = await TestStack.create();
    // Pipelined, as the worker's own connections are (startWorker).
    ({ deps, calls } = await recordingReconcileDeps(stack, (key) => key === 'poison.csv', { pipeline: true }));
  });
  afterAll(() => stack.dispose());

  it('converge on the bucket in one batch: inserts, updates, deletes, a bad csv, a picture, duplicates and an undecodable message', async () => {
    for (const id of ['1', '2', '3', '4']) await stack.put(`${id}.csv`, userCsv(`First${id}`, 'Before', Number(id)));
    await reconcileUsers(deps, ['1', '2', '3', '4']);
    const before = new Map((await stack.users()).map((u) => [u.user_id, u]));

    await stack.put('1.csv', userCsv('First1', 'After', 1));
    await stack.remove('2.csv');
    await stack.put('3.csv', 'first_name,last_name\nno birthts,at all\n');
    await stack.put('4.png', 'a picture');
    await stack.put('5.csv', userCsv('First5', 'New', 5));
    const deliveries = [await created('1.csv'), removed('2.csv'), await created('3.csv'), await created('4.png'), await created('5.csv'), await created('5.csv'), Buffer.from('not json')];

    const batchesBefore = await batchCount();
    const settled = await handleAll(batches(), deliveries);

    expect(settled.slice(0, 6).map((s) => s.status)).toEqual(Array(6).fill('fulfilled'));
    expect(settled[6]).toMatchObject({ status: 'rejected', reason: expect.any(EventDecodeError) });
    expect((await batchCount()) - batchesBefore).toBe(1);
    const kept = (id: string): UserRowView | undefined => before.get(id);
    expect(await stack.users()).toEqual(await usersFromBucket(stack, kept));
    expect(await stack.user('3')).toMatchObject({ last_name: 'Before' });
    expect((await stack.rejections()).map((r) => r.key)).toEqual(['3.csv']);
  });

  it('settle reordered and duplicated events the same way', async () => {
    await stack.put('6.csv', userCsv('First6', 'V1', 6));
    const v1 = await created('6.csv');
    await stack.put('6.csv', userCsv('First6', 'V2', 6));
    const v2 = await created('6.csv');
    await stack.put('6.png', 'p');
    const png = await created('6.png');
    // Newest first, then the stale one, each twice, in one batch and then again one by one.
    await handleAll(batches(), [png, v2, v1, png, v2, v1]);
    for (const body of [v1, png, v2]) await handleAll(batches(1), [body]);
    expect(await stack.user('6')).toEqual({ user_id: '6', first_name: 'First6', last_name: 'V2', birthts: 6, img_path: `${stack.srcBucket}/6.png` });
  });

  it('fail a poison delivery alone: its batch-mates are settled once, and succeed', async () => {
    await stack.put('7.csv', userCsv('First7', 'Mate', 7));
    await stack.put('poison.csv', userCsv('Poison', 'Pill', 1));
    await stack.put('8.csv', userCsv('First8', 'Mate', 8));
    const deliveries = [await created('7.csv'), await created('poison.csv'), await created('8.csv')];
    const settlements: string[] = [];
    const b = batches();
    await Promise.allSettled(
      deliveries.map((body, i) =>
        b.handle({ body, attempt: 1 }).then(
          () => settlements.push(`ok ${i}`),
          (err: Error) => settlements.push(`failed ${i}: ${err.message}`),
        ),
      ),
    );
    expect(settlements.sort()).toEqual(['failed 1: MinIO refused poison.csv', 'ok 0', 'ok 2']);
    expect((await stack.users()).map((u) => u.user_id)).toEqual(expect.arrayContaining(['7', '8']));
    expect(await stack.user('poison')).toBeUndefined();
  });

  it('run at most two batches at once: deliveries beyond wait for one to end', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `w${i}`);
    for (const id of ids) {
      await stack.put(`${id}.csv`, userCsv(id, 'Waiting', 1));
      await stack.put(`${id}.png`, 'p');
    }
    // Object requests in flight at once: a batch of one user with a png makes two (GET csv, HEAD png).
    let inFlight = 0;
    let most = 0;
    const minio = new Proxy(deps.minio, {
      get(target, prop, receiver) {
        if (prop !== 'makeRequestAsync') return Reflect.get(target, prop, receiver);
        return async (...args: unknown[]) => {
          most = Math.max(most, ++inFlight);
          try {
            return await (target.makeRequestAsync as (...a: unknown[]) => Promise<unknown>).apply(receiver, args);
          } finally {
            inFlight--;
          }
        };
      },
    });

    const settled = await handleAll(batches(1, { deps: { ...deps, minio }, maxWaitMs: 0 }), await Promise.all(ids.map((id) => created(`${id}.csv`))));

    expect(settled.map((s) => s.status)).toEqual(Array(8).fill('fulfilled'));
    expect(most).toBeLessThanOrEqual(2 * 2);
    expect((await stack.users()).filter((u) => u.last_name === 'Waiting')).toHaveLength(8);
  });

  it('read the bucket no more than needed: a duplicate costs no call, an unchanged csv no download, a png one HEAD', async () => {
    await stack.put('9.csv', userCsv('First9', 'Counted', 9));
    await stack.put('9.png', 'p');
    const csvEvent = await created('9.csv');

    calls.length = 0;
    await handleAll(batches(), [csvEvent]);
    expect(sorted(calls)).toEqual([
      { method: 'GET', key: '9.csv', status: 200 },
      { method: 'HEAD', key: '9.png', status: 200 },
    ]);

    calls.length = 0;
    await handleAll(batches(), [csvEvent, await created('9.png')]); // both already applied
    expect(calls).toEqual([]);

    calls.length = 0;
    await stack.put('9.jpg', 'j'); // a picture the row does not point to: reconciled, csv unchanged
    await handleAll(batches(), [await created('9.jpg')]);
    expect(calls.filter((c) => c.method === 'GET' && c.status === 200)).toEqual([]);
    expect(sorted(calls)).toEqual([
      { method: 'GET', key: '9.csv', status: 304 },
      { method: 'HEAD', key: '9.png', status: 200 },
    ]);
  });

  it('read nothing for a copy of an event that another batch applied while this one waited for the lock', async () => {
    await stack.put('10.csv', userCsv('First10', 'Copied', 10));
    await stack.put('10.png', 'p');
    const csvEvent = await created('10.csv');
    // Two workers, each with a copy of the event (MinIO's two targets): both find nothing applied
    // yet, then queue behind a lock this test holds, so neither can have seen the other commit.
    const blocker = await holdUserLocks(deps.pool, '10');
    calls.length = 0;
    const copies = [batches(), batches()].map((worker) => worker.handle({ body: csvEvent, attempt: 1 }));
    await eventually(async () => expect(await advisoryLockWaiters(deps.pool)).toBe(2));
    await blocker.release();

    await Promise.all(copies);
    expect(sorted(calls)).toEqual([
      { method: 'GET', key: '10.csv', status: 200 },
      { method: 'HEAD', key: '10.png', status: 200 },
    ]);
    expect(await stack.user('10')).toMatchObject({ last_name: 'Copied', img_path: `${stack.srcBucket}/10.png` });
  });

  it("put off a delivery whose user's lock another batch holds: its batch-mates settle at once, it settles once the lock is free", async () => {
    await stack.put('11.csv', userCsv('First11', 'Held', 11));
    await stack.put('12.csv', userCsv('First12', 'Free', 12));
    const [held, free] = [await created('11.csv'), await created('12.csv')];
    const blocker = await holdUserLocks(deps.pool, '11');
    const insertedBefore = await eventCount('inserted');

    const b = batches();
    const [heldDone, freeDone] = [held, free].map((body) => b.handle({ body, attempt: 1 }));
    // Had the batch waited for user 11's lock, user 12's delivery would not settle while it is held.
    await freeDone;
    expect(await stack.user('12')).toMatchObject({ last_name: 'Free' });
    // Put off a few times, it then waits for the lock rather than asking again in a loop.
    await eventually(async () => expect(await advisoryLockWaiters(deps.pool)).toBe(1));
    expect(await stack.user('11')).toBeUndefined();

    await blocker.release();
    await heldDone;
    expect(await stack.user('11')).toMatchObject({ last_name: 'Held' });
    expect((await eventCount('inserted')) - insertedBefore).toBe(2);
  });

  async function eventCount(outcome: string): Promise<number> {
    const text = await metrics.registry.getSingleMetricAsString('userpipe_events_total');
    return Number(new RegExp(`userpipe_events_total\\{outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  }

  function sorted(list: ObjectCall[]): ObjectCall[] {
    return [...list].sort((a, b) => a.key.localeCompare(b.key));
  }

  // docs/design.md, "Pictures looked for": the png always, a jpg or jpeg once the bucket has shown one.
  it("look for a jpg once an event showed one, for every user: a jpg behind a png is found when the png goes", async () => {
    await stack.db.query('DELETE FROM picture_extensions_seen'); // a database that has seen no jpg
    for (const id of ['20', '21']) {
      await stack.put(`${id}.csv`, userCsv(`First${id}`, 'Pictured', Number(id)));
      await stack.put(`${id}.png`, 'p');
    }
    await handleAll(batches(), [await created('20.csv'), await created('20.png'), await created('21.csv'), await created('21.png')]);
    await stack.put('21.jpg', 'j'); // its event lost
    calls.length = 0;
    await stack.put('20.jpg', 'j');
    await handleAll(batches(), [await created('20.jpg')]);
    expect(sorted(calls)).toEqual([
      { method: 'GET', key: '20.csv', status: 304 },
      { method: 'HEAD', key: '20.png', status: 200 },
    ]);
    expect(await stack.user('20')).toMatchObject({ img_path: `${stack.srcBucket}/20.png` });

    await stack.remove('20.png');
    await stack.remove('21.png');
    calls.length = 0;
    await handleAll(batches(), [removed('20.png'), removed('21.png')]);

    expect(await stack.user('20')).toMatchObject({ img_path: `${stack.srcBucket}/20.jpg` });
    expect(await stack.user('21')).toMatchObject({ img_path: `${stack.srcBucket}/21.jpg` });
    expect(calls.filter((c) => c.method === 'HEAD').map((c) => c.key).sort()).toEqual(['20.jpg', '20.png', '21.jpg', '21.png']); // no jpeg: none shown
  });

  async function batchCount(): Promise<number> {
    const text = await metrics.registry.getSingleMetricAsString('userpipe_batch_duration_seconds');
    return Number(/userpipe_batch_duration_seconds_count (\d+)/.exec(text)?.[1] ?? 0);
  }
});
