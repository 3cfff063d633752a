import { stormPlan } from './plan';
import { NO_DELETE_MARKER, runStorm, type ObjectStore } from './storm';

/** A bucket in memory whose calls fail now and then, as a cluster losing a node does. */
function flakyBucket(failEvery: number) {
  const objects = new Map<string, Buffer>();
  const inFlight = new Set<string>();
  let calls = 0;
  const call = async <T>(key: string, fn: () => T): Promise<T> => {
    if (inFlight.has(key)) throw new Error(`two calls on ${key} at once`);
    inFlight.add(key);
    try {
      await new Promise((r) => setTimeout(r, 0));
      // Applied, then the answer is lost: the uncertain case the retry must settle.
      const result = fn();
      if (++calls % failEvery === 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return result;
    } finally {
      inFlight.delete(key);
    }
  };
  const store: ObjectStore = {
    put: (key, body) => call(key, () => (objects.set(key, body), `etag-${body.toString('base64')}`)),
    remove: (key) => call(key, () => void objects.delete(key)),
  };
  return { objects, store };
}

describe('runStorm', () => {
  it('ends with the ledger equal to the bucket, every failed call retried until acknowledged', async () => {
    const plan = stormPlan({ users: 300, prefix: 't-', clients: 4, seed: 3, now: Date.parse('2026-11-25T00:00:00Z') });
    const { objects, store } = flakyBucket(7);
    const acks: number[] = [];
    const result = await runStorm(plan, () => store, { rate: 0, onAck: (n) => acks.push(n), retry: { attemptTimeoutMs: 1000, giveUpAfterMs: 5000, baseMs: 1, maxMs: 2 } });
    expect(acks).toHaveLength(plan.ops.length);
    expect(acks.at(-1)).toBe(plan.ops.length);
    expect(result.failures.get('ECONNRESET')).toBeGreaterThan(0);
    expect(result.retriedOps).toBeGreaterThan(0);
    expect(result.retriedOps).toBeLessThanOrEqual(result.failures.get('ECONNRESET')!);
    const expected = [...objects].map(([key, body]) => [key, `etag-${body.toString('base64')}`]);
    expect([...result.ledger.present()].sort()).toEqual(expected.sort());
    for (const key of result.ledger.deleted()) expect(objects.has(key)).toBe(false);
    // Every attempt is kept: one acknowledged per operation, the failed ones before it.
    expect(result.attempts.filter((a) => a.outcome === 'ok')).toHaveLength(plan.ops.length);
    expect(result.attempts.filter((a) => a.outcome === 'ECONNRESET')).toHaveLength(result.failures.get('ECONNRESET')!);
    for (const a of result.attempts) expect(a.end).toBeGreaterThanOrEqual(a.start);
    const retried = result.attempts.find((a) => a.n === 2)!;
    expect(result.attempts.find((a) => a.seq === retried.seq && a.n === 1)?.outcome).toBe('ECONNRESET');
  });

  it('marks an attempt that timed out, and records how its request settled afterwards', async () => {
    const plan = stormPlan({ users: 1, prefix: 't-', clients: 1, seed: 3, now: Date.now() });
    let calls = 0;
    const store: ObjectStore = {
      put: async (_key, _body, reply) => {
        const call = ++calls;
        await new Promise((r) => setTimeout(r, call === 1 ? 60 : 0));
        Object.assign(reply ?? {}, { status: 200, versionId: `v${call}` });
        return `etag-${call}`;
      },
      remove: async () => undefined,
    };
    const result = await runStorm(plan, () => store, { rate: 0, retry: { attemptTimeoutMs: 20, giveUpAfterMs: 5000, baseMs: 1, maxMs: 2 } });
    await new Promise((r) => setTimeout(r, 80));
    const [first, second] = result.attempts;
    expect(first).toMatchObject({ n: 1, outcome: 'TIMEOUT', late: { outcome: 'ok' }, reply: { versionId: 'v1' } });
    expect(second).toMatchObject({ n: 2, outcome: 'ok', reply: { versionId: 'v2' } });
  });

  it('sends a DELETE again when MinIO acknowledged it without writing a delete marker', async () => {
    const plan = stormPlan({ users: 40, prefix: 't-', clients: 1, seed: 3, now: Date.now() });
    const removes = plan.ops.filter((o) => o.kind === 'remove');
    expect(removes.length).toBeGreaterThan(0);
    const answers = new Map<string, number>();
    const store: ObjectStore = {
      put: async (_key, _body, reply) => (Object.assign(reply ?? {}, { status: 200, versionId: 'v' }), 'etag'),
      remove: async (key, reply) => {
        const n = (answers.get(key) ?? 0) + 1;
        answers.set(key, n);
        // The first answer is MinIO's for a key it read as absent: 204, no marker, nothing written.
        Object.assign(reply ?? {}, n === 1 ? { status: 204 } : { status: 204, deleteMarker: true, versionId: `m${n}` });
      },
    };
    const result = await runStorm(plan, () => store, { rate: 0, retry: { attemptTimeoutMs: 1000, giveUpAfterMs: 5000, baseMs: 1, maxMs: 2 } });
    expect(result.failures.get(NO_DELETE_MARKER)).toBe(removes.length);
    for (const op of removes) {
      const tries = result.attempts.filter((a) => a.seq === op.seq);
      expect(tries.map((a) => a.outcome)).toEqual([NO_DELETE_MARKER, 'ok']);
      expect(tries[1]!.reply).toMatchObject({ deleteMarker: true, versionId: 'm2' });
    }
  });

  it('paces the storm to the rate asked for', async () => {
    const plan = stormPlan({ users: 20, prefix: 't-', clients: 4, seed: 3, now: Date.now() });
    const { store } = flakyBucket(1_000_000);
    const result = await runStorm(plan, () => store, { rate: 200 });
    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(((plan.ops.length - 1) * 1000) / 200 - 5);
  });
});
