import { parseUserFile, parseUserKey } from '@userpipe/shared';
import { countByWhat, stormPlan, userIdOf } from './plan';

describe('stormPlan', () => {
  const now = Date.parse('2026-11-25T00:00:00Z');
  const plan = stormPlan({ users: 3000, prefix: 'nlx-', clients: 8, seed: 13, now });

  it('creates every user with a valid csv, about half with a png', () => {
    const creates = plan.ops.filter((op) => op.what === 'create csv');
    expect(creates.map((op) => op.userId).sort()).toEqual(Array.from({ length: 3000 }, (_, i) => userIdOf('nlx-', i)));
    for (const op of plan.ops.filter((o) => o.kind === 'put' && o.key.endsWith('.csv'))) {
      expect(parseUserKey(op.key)).toEqual({ userId: op.userId, kind: 'csv' });
      expect(parseUserFile(op.body!, { maxBytes: 65536, now: new Date(now) })).toMatchObject({ ok: true });
    }
    const pngs = countByWhat(plan.ops)['create png'] ?? 0;
    expect(pngs).toBeGreaterThan(1350);
    expect(pngs).toBeLessThan(1650);
  });

  it('updates and deletes a good share of them, mixed through the whole storm', () => {
    const counts = countByWhat(plan.ops);
    expect((counts['update csv'] ?? 0) + (counts['add png'] ?? 0) + (counts['replace png'] ?? 0)).toBeGreaterThan(1000);
    expect(counts['delete csv']).toBeGreaterThan(400);
    expect(counts['remove png']).toBeGreaterThan(300);
    expect(counts['recreate csv']).toBeGreaterThan(50);
    // Changes are not all at the end: the middle third of the storm holds creates, updates and deletes.
    const third = plan.ops.slice(plan.ops.length / 3, (2 * plan.ops.length) / 3).map((op) => op.what);
    for (const what of ['create csv', 'update csv', 'delete csv', 'remove png'] as const) expect(third).toContain(what);
  });

  it("keeps each user's operations in order on one client, and numbers the storm in order", () => {
    expect(plan.ops.map((op) => op.seq)).toEqual(plan.ops.map((_, i) => i));
    const byUser = new Map<string, { client: number; whats: string[] }>();
    for (const op of plan.ops) {
      const u = byUser.get(op.userId) ?? { client: op.client, whats: [] };
      expect(op.client).toBe(u.client);
      u.whats.push(op.what);
      byUser.set(op.userId, u);
    }
    for (const { whats } of byUser.values()) expect(whats[0]).toBe('create csv');
    expect(new Set(plan.ops.map((op) => op.client))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
  });

  it('never removes what is not there, and replaces a picture with other bytes', () => {
    const state = new Map<string, Buffer>();
    for (const op of plan.ops) {
      if (op.kind === 'remove') expect(state.has(op.key)).toBe(true);
      if (op.what === 'replace png') expect(op.body!.equals(state.get(op.key)!)).toBe(false);
      if (op.kind === 'put') state.set(op.key, op.body!);
      else state.delete(op.key);
    }
  });

  it('is the same for the same seed, another for another', () => {
    const again = stormPlan({ users: 200, prefix: 'p-', clients: 4, seed: 5, now });
    const same = stormPlan({ users: 200, prefix: 'p-', clients: 4, seed: 5, now });
    const other = stormPlan({ users: 200, prefix: 'p-', clients: 4, seed: 6, now });
    const bytes = (p: typeof again) => p.ops.map((op) => `${op.seq} ${op.key} ${op.kind} ${op.body?.toString('base64') ?? ''}`);
    expect(bytes(same)).toEqual(bytes(again));
    expect(bytes(other)).not.toEqual(bytes(again));
  });
});
