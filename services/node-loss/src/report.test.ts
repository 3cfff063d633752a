import { formatRun, groupFailures, passed, verdict, type RunSummary } from './report';

const ok = (id: 'a' | 'b' | 'c' | 'd' | 'e') => ({ id, name: `check ${id}`, ok: true, detail: 'fine' });

function summary(over: Partial<RunSummary> = {}): RunSummary {
  return {
    run: 1,
    runs: 1,
    prefix: 'nlx-',
    users: 3000,
    clients: 8,
    faults: true,
    ops: 7000,
    opsByWhat: { 'create csv': 3000 },
    stormStartedAt: 1_000,
    stormEndedAt: 47_000,
    failures: [{ reason: 'ECONNRESET', count: 12, first: 16_100, last: 18_000 }],
    retriedOps: 12,
    timeline: [
      { at: 1_000, what: 'storm started' },
      { at: 16_000, what: 'killed RabbitMQ node 2 (leader of ingest, pid 9)' },
      { at: 31_000, what: 'cluster.sh up: restarting the killed nodes' },
    ],
    caughtUpAt: 50_000,
    passedAt: 53_300,
    checkedAt: 58_000,
    deadlineMs: 300_000,
    behind: [],
    busyQueues: {},
    longestStall: { from: 16_250, to: 20_350, ms: 4_100, depthAtStart: 120, open: false },
    stalls: [{ from: 16_250, to: 20_350, ms: 4_100, depthAtStart: 120, open: false }],
    samples: 210,
    checks: (['a', 'b', 'c', 'd', 'e'] as const).map(ok),
    ...over,
  };
}

describe('report', () => {
  it('ends a run with its verdict, and ties the longest stall to the kill before it', () => {
    const lines = formatRun(summary());
    expect(lines.at(-1)).toBe('node-loss run 1/1: converged in 6.3 s; longest stall 4.1 s; checks 5 passed, 0 failed');
    expect(lines.join('\n')).toContain('longest stall in processing: 4.1 s, +15.3 s to +19.4 s, queue depth 120 at its start, 0.3 s after "killed RabbitMQ node 2');
    expect(lines.filter((l) => l.includes('PASS'))).toHaveLength(5);
    expect(lines).toContain('  storm: 12 operations retried until acknowledged; failed attempts: ECONNRESET ×12 (+15.1 s to +17.0 s)');
    expect(passed(summary())).toBe(true);
  });

  it('fails a run with a failed check, or one that did not converge, or that broke', () => {
    const bad = summary({ checks: [ok('a'), { id: 'b', name: 'Postgres', ok: false, detail: '1 missing (x)' }, ok('c'), ok('d'), ok('e')] });
    expect(passed(bad)).toBe(false);
    expect(formatRun(bad)).toContain('  FAIL (b) Postgres: 1 missing (x)');
    expect(passed(summary({ passedAt: null }))).toBe(false);
    expect(passed(summary({ error: 'storm gave up' }))).toBe(false);
    expect(verdict('node-loss', [summary(), summary({ passedAt: null, checks: [] })])).toBe(
      'node-loss: 1 of 2 runs did not converge; longest stall 4.1 s; checks 5 passed, 5 failed (2 runs; 1 passed)',
    );
  });

  it("never prints a line CI's log reader would take for pytest's closing line", () => {
    const pytestish = /^=+ .*\d+ (passed|failed).* in [\d.]+s? =+$/;
    for (const line of [...formatRun(summary()), verdict('node-loss', [summary(), summary()])]) expect(line).not.toMatch(pytestish);
  });
});

describe('groupFailures', () => {
  it('counts each reason with its first and last time, most frequent first', () => {
    expect(groupFailures([{ at: 5, reason: 'B' }, { at: 3, reason: 'A' }, { at: 9, reason: 'B' }, { at: 1, reason: 'B' }])).toEqual([
      { reason: 'B', count: 3, first: 1, last: 9 },
      { reason: 'A', count: 1, first: 3, last: 3 },
    ]);
  });
});
