import { reasonOf, untilAcknowledged, type RetryPolicy } from './untilAcknowledged';

const fast: RetryPolicy = { attemptTimeoutMs: 50, giveUpAfterMs: 1000, baseMs: 1, maxMs: 5 };

describe('untilAcknowledged', () => {
  it('retries a failing call until it is acknowledged, telling each failure', async () => {
    const reasons: string[] = [];
    let calls = 0;
    const result = await untilAcknowledged(
      async () => {
        if (++calls < 3) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return 'etag';
      },
      fast,
      (f) => reasons.push(f.reason),
    );
    expect(result).toBe('etag');
    expect(reasons).toEqual(['ECONNRESET', 'ECONNRESET']);
  });

  it('gives up on a call that never answers in time', async () => {
    const reasons: string[] = [];
    await expect(untilAcknowledged(() => new Promise(() => undefined), { ...fast, giveUpAfterMs: 120 }, (f) => reasons.push(f.reason))).rejects.toThrow(/not acknowledged after \d+ attempts/);
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    expect(new Set(reasons)).toEqual(new Set(['TIMEOUT']));
  });

  it('names an error by its code, else its message cut short', () => {
    expect(reasonOf(Object.assign(new Error('x'), { code: 'SlowDown' }))).toBe('SlowDown');
    expect(reasonOf(new Error('a'.repeat(100)))).toBe(`${'a'.repeat(57)}...`);
    expect(reasonOf('plain')).toBe('plain');
    expect(reasonOf(new Error('Request failed after 0 retries: Error: Retryable HTTP status: 503'))).toBe('HTTP 503');
  });
});
