import { longestStall, stalls, type ProgressSample } from './stall';

/** Samples every 250 ms from a compact script: events counter, depth, last ack time, behind. */
function samples(rows: [events: number | null, depth: number | null, lastAckAt?: number | null, behind?: boolean][]): ProgressSample[] {
  return rows.map(([events, depth, lastAckAt = null, behind = false], i) => ({ t: i * 250, progress: { events, writeSeq: null }, depth, lastAckAt, behind }));
}

describe('stalls', () => {
  it('finds none while every sample shows progress or nothing is pending', () => {
    expect(stalls(samples([[0, 0], [1, 5], [2, 3], [3, 0], [3, 0], [3, 0]]))).toEqual([]);
  });

  it('measures from the last progress while the queue holds messages, to the next progress', () => {
    const s = samples([[0, 0], [1, 9], [1, 9], [1, 9], [1, 9], [2, 4], [3, 0]]);
    expect(stalls(s)).toEqual([{ from: 250, to: 1250, ms: 1000, depthAtStart: 9, open: false }]);
    expect(longestStall(s)?.ms).toBe(1000);
  });

  it('counts an acknowledgement after the last progress as pending work (the bucket is ahead)', () => {
    // Progress at 250; an upload acknowledged at 600; nothing moves until 1250.
    const s = samples([[0, 0], [1, 0, 100], [1, 0, 100], [1, 0, 600], [1, 0, 600], [2, 0, 600]]);
    expect(longestStall(s)).toEqual({ from: 750, to: 1250, ms: 500, depthAtStart: 0, open: false });
  });

  it('counts an unreadable queue, and a bucket known to be ahead, as pending', () => {
    expect(longestStall(samples([[0, 0], [0, null], [0, null], [1, 0]]))?.ms).toBe(500);
    expect(longestStall(samples([[0, 0, null, true], [0, 0, null, true], [0, 0, null, true], [0, 0, null, false]]))).toEqual({ from: 0, to: 750, ms: 750, depthAtStart: 0, open: false });
  });

  it('ignores unreadable counters (a probe that failed is not progress) and reports a stall still open at the end', () => {
    const s = samples([[5, 3], [null, 3], [5, 3], [null, 3]]);
    expect(longestStall(s)).toEqual({ from: 0, to: 750, ms: 750, depthAtStart: 3, open: true });
  });

  it('takes progress from any counter', () => {
    const s: ProgressSample[] = [0, 1, 2].map((i) => ({ t: i * 250, progress: { events: 7, writeSeq: i }, depth: 4, lastAckAt: null, behind: false }));
    expect(longestStall(s)).toBeNull();
    expect(longestStall([...s, { ...s[2]!, t: 750 }, { ...s[2]!, t: 1000 }])?.ms).toBe(500);
  });

  it('is null with no samples', () => {
    expect(longestStall([])).toBeNull();
  });
});
