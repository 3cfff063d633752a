import { bucketDiffIsEmpty, describeBucketDiff, describeRowsDiff, diffBucket, diffRows, rowsDiffIsEmpty } from './diff';
import { AckLedger } from './ledger';

const row = (user_id: string, over: Partial<{ first_name: string; last_name: string; birthts: number; img_path: string | null }> = {}) => ({
  user_id,
  first_name: 'Zoë',
  last_name: "O'Brien",
  birthts: 1000,
  img_path: null,
  ...over,
});

describe('diffBucket', () => {
  it('is empty when the listing is the acknowledged state', () => {
    const ledger = new AckLedger();
    ledger.put('a.csv', '"e1"', 1);
    ledger.put('a.png', 'p1', 2);
    ledger.remove('a.png', 3);
    ledger.put('b.csv', 'e2', 4);
    const d = diffBucket(ledger.present(), ledger.deleted(), new Map([['a.csv', 'e1'], ['b.csv', 'e2']]));
    expect(bucketDiffIsEmpty(d)).toBe(true);
  });

  it('names missing, resurrected, changed and unknown keys', () => {
    const d = diffBucket(new Map([['a.csv', 'e1'], ['b.csv', 'e2'], ['c.csv', 'e3']]), new Set(['d.png']), new Map([['b.csv', 'e2'], ['c.csv', 'old'], ['d.png', 'x'], ['z.csv', 'y']]));
    expect(d).toEqual({ missing: ['a.csv'], resurrected: ['d.png'], unknown: ['z.csv'], changed: [{ key: 'c.csv', expected: 'e3', actual: 'old' }] });
    expect(describeBucketDiff(d)).toBe('1 acknowledged missing (a.csv); 1 deleted but back (d.png); 1 another version (c.csv old≠e3); 1 never written (z.csv)');
  });
});

describe('diffRows', () => {
  it('is empty for the same rows in any order, birthts as text or number', () => {
    const d = diffRows([row('1'), row('2', { img_path: 'src/2.png' })], [row('2', { img_path: 'src/2.png' }), { ...row('1'), birthts: '1000' as unknown as number }]);
    expect(rowsDiffIsEmpty(d)).toBe(true);
  });

  it('names missing, extra, different and duplicated users', () => {
    const d = diffRows([row('1'), row('2'), row('3')], [row('2', { img_path: 'src/2.png' }), row('3'), row('3'), row('4')]);
    expect(d.missing).toEqual(['1']);
    expect(d.extra).toEqual(['4']);
    expect(d.duplicates).toEqual(['3']);
    expect(d.different.map((x) => x.userId)).toEqual(['2']);
    expect(describeRowsDiff(d)).toMatch(/^1 missing \(1\); 1 extra \(4\); 1 different \(2: .*"img_path":"src\/2.png".* instead of .*"img_path":null.*\); 1 duplicated \(3\)$/);
  });

  it('shows a few examples of a long list', () => {
    const d = diffRows(Array.from({ length: 10 }, (_, i) => row(String(i))), []);
    expect(describeRowsDiff(d, 2)).toBe('10 missing (0, 1, …)');
  });
});
