import { attemptsTsv, isNoOpDelete, keyHistories, type Attempt } from './attemptLog';

const origin = Date.parse('2026-11-26T06:50:00Z');
const attempt = (over: Partial<Attempt>): Attempt => ({ seq: 1, client: 0, key: 'u1.png', kind: 'put', n: 1, start: origin + 1000, end: origin + 1200, outcome: 'ok', reply: {}, ...over });

describe('the attempt log', () => {
  it('tells a DELETE that wrote a delete marker from one acknowledged with nothing written', () => {
    expect(isNoOpDelete(attempt({ kind: 'remove', reply: { status: 204, versionId: 'm1', deleteMarker: true } }))).toBe(false);
    expect(isNoOpDelete(attempt({ kind: 'remove', reply: { status: 204 } }))).toBe(true);
    expect(isNoOpDelete(attempt({ kind: 'remove', outcome: 'HTTP 503', reply: { status: 503 } }))).toBe(false);
    expect(isNoOpDelete(attempt({ kind: 'put', reply: { status: 200 } }))).toBe(false);
  });

  it('writes one tab-separated line per attempt, times from the storm start', () => {
    const tsv = attemptsTsv(
      [
        attempt({ reply: { status: 503, code: 'SlowDown', requestId: 'R1' }, outcome: 'HTTP 503' }),
        attempt({ n: 2, start: origin + 1500, end: null, outcome: 'TIMEOUT', late: { outcome: 'ok', at: origin + 9000 }, reply: { status: 200, versionId: 'v2' } }),
      ],
      origin,
    ).split('\n');
    expect(tsv[1]!.split('\t')).toEqual(['seq', 'client', 'key', 'op', 'n', 'start_ms', 'end_ms', 'outcome', 'status', 'code', 'version_id', 'delete_marker', 'node', 'request_id', 'etag', 'late']);
    expect(tsv[2]!.split('\t')).toEqual(['1', '0', 'u1.png', 'PUT', '1', '1000', '1200', 'HTTP 503', '503', 'SlowDown', '', '', '', 'R1', '', '']);
    expect(tsv[3]!.split('\t').slice(4)).toEqual(['2', '1500', '', 'TIMEOUT', '200', '', 'v2', '', '', '', '', 'ok@9000']);
  });

  it("lists each key's attempts under it, in the order they were sent", () => {
    const lines = keyHistories(
      [
        attempt({ reply: { status: 200, versionId: 'v1' } }),
        attempt({ key: 'other', seq: 2 }),
        attempt({ seq: 3, kind: 'remove', start: origin + 5000, end: origin + 5020, reply: { status: 204 } }),
      ],
      ['u1.png'],
      origin,
    );
    expect(lines).toEqual([
      '    u1.png:',
      '      +1.000 s #1 PUT try 1: ok (200 ms; HTTP 200, version v1)',
      '      +5.000 s #3 DELETE try 1: ok (20 ms; HTTP 204, NO delete marker (nothing written))',
    ]);
  });
});
