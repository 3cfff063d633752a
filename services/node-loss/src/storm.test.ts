import { stormPlan } from './plan';
import { runStorm, type ObjectStore } from './storm';

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

  it('paces the storm to the rate asked for', async () => {
    const plan = stormPlan({ users: 20, prefix: 't-', clients: 4, seed: 3, now: Date.now() });
    const { store } = flakyBucket(1_000_000);
    const result = await runStorm(plan, () => store, { rate: 200 });
    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(((plan.ops.length - 1) * 1000) / 200 - 5);
  });
});
