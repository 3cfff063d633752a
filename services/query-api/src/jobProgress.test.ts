import { jobProgress } from './jobProgress';

const started = '2026-11-25T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(started) + seconds * 1000);
const running = (summary: Record<string, unknown>) => ({ state: 'running' as const, started_at: started, summary });

describe('jobProgress', () => {
  it('is null for a job that does not run', () => {
    expect(jobProgress({ state: 'queued', started_at: null, summary: {} }, 100, at(1))).toBeNull();
    expect(jobProgress({ state: 'succeeded', started_at: started, summary: { inserted: 5 } }, 100, at(1))).toBeNull();
  });

  it('counts every outcome as a user done, and gives rate and time left', () => {
    const summary = { seen: 300, inserted: 10, updated: 20, unchanged: 150, deleted: 5, rejected: 3, absent: 2, failed: 10, csvReads: 40 };
    // 200 done in 10 s: 20 users/s, 800 left of the 1,000 expected: 40 s.
    expect(jobProgress(running(summary), 1000, at(10))).toEqual({ done: 200, total: 1000, per_second: 20, eta_seconds: 40 });
  });

  it('expects as many users as the bucket listing has shown, when that is more than Postgres held', () => {
    expect(jobProgress(running({ seen: 1500, unchanged: 100 }), 1000, at(10))).toMatchObject({ done: 100, total: 1500 });
  });

  it('never expects fewer users than are done', () => {
    expect(jobProgress(running({ seen: 10, inserted: 50 }), 20, at(5))).toMatchObject({ done: 50, total: 50, eta_seconds: 0 });
  });

  it('has no time left to tell before the first user is done', () => {
    expect(jobProgress(running({}), 1000, at(3))).toEqual({ done: 0, total: 1000, per_second: 0, eta_seconds: null });
  });

  it('ignores counts that are not counts', () => {
    expect(jobProgress(running({ inserted: 'many', updated: -4, unchanged: 7 }), 10, at(7))).toMatchObject({ done: 7 });
  });
});
