import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  function counting(opts: Partial<ConstructorParameters<typeof Coalescer>[1]> = {}) {
    const runs: number[] = [];
    const errors: unknown[] = [];
    let fail = 0;
    const coalescer = new Coalescer(
      async () => {
        runs.push(Date.now());
        if (fail > 0) {
          fail--;
          throw new Error('export failed');
        }
      },
      { debounceMs: 100, maxDelayMs: 1000, retryMs: 500, onError: (e) => errors.push(e), ...opts },
    );
    return { coalescer, runs, errors, failNext: (n: number) => (fail = n) };
  }

  it('runs once for a burst of signals, after the burst goes quiet', async () => {
    const { coalescer, runs } = counting();
    for (let i = 0; i < 50; i++) {
      coalescer.signal();
      await jest.advanceTimersByTimeAsync(10);
    }
    await jest.advanceTimersByTimeAsync(200);
    expect(runs).toEqual([590]);
  });

  it('never lets a signal wait longer than the maximum delay', async () => {
    const { coalescer, runs } = counting();
    for (let i = 0; i < 300; i++) {
      coalescer.signal();
      await jest.advanceTimersByTimeAsync(10);
    }
    await jest.advanceTimersByTimeAsync(200);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.length).toBeLessThanOrEqual(4);
    expect(runs[0]).toBe(1000);
  });

  it('does not run without a signal', async () => {
    const { runs } = counting();
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toEqual([]);
  });

  it('retries a failed run', async () => {
    const { coalescer, runs, errors, failNext } = counting();
    failNext(1);
    coalescer.signal();
    await jest.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    expect(runs).toEqual([100, 600]);
  });

  it('runs once more for a signal that arrives during a run', async () => {
    let release!: () => void;
    const runs: number[] = [];
    const coalescer = new Coalescer(
      () => {
        runs.push(Date.now());
        return runs.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
      },
      { debounceMs: 100, maxDelayMs: 1000, retryMs: 500, onError: () => undefined },
    );
    coalescer.signal();
    await jest.advanceTimersByTimeAsync(100);
    coalescer.signal();
    await jest.advanceTimersByTimeAsync(300);
    expect(runs).toEqual([100]);
    release();
    await jest.advanceTimersByTimeAsync(699);
    expect(runs).toEqual([100]); // not before the maximum delay from the start of the run before
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([100, 1100]);
  });

  it('runs once per maximum delay for changes that keep coming further apart than the debounce', async () => {
    const { coalescer, runs } = counting();
    for (let i = 0; i < 10; i++) {
      coalescer.signal();
      await jest.advanceTimersByTimeAsync(300);
    }
    await jest.advanceTimersByTimeAsync(2000);
    // The first change waits only the debounce; the ones after it, one run per second between them.
    expect(runs).toEqual([100, 1100, 2100, 3100]);
  });

  it('lets a lone change after a quiet time wait only the debounce', async () => {
    const { coalescer, runs } = counting();
    coalescer.signal();
    await jest.advanceTimersByTimeAsync(1500);
    coalescer.signal();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toEqual([100, 1600]);
  });

  it('runs back to back when a run takes longer than the maximum delay', async () => {
    const runs: number[] = [];
    const coalescer = new Coalescer(
      async () => {
        runs.push(Date.now());
        await new Promise((r) => setTimeout(r, 1500));
      },
      { debounceMs: 100, maxDelayMs: 1000, retryMs: 500, onError: () => undefined },
    );
    coalescer.signal();
    await jest.advanceTimersByTimeAsync(200);
    coalescer.signal();
    await jest.advanceTimersByTimeAsync(1500);
    // The run before ended at 1600, past 1000 after it started: the signal it missed waits no more
    // (a timer of no delay fires a millisecond later).
    expect(runs).toHaveLength(2);
    expect(runs[1]).toBeGreaterThanOrEqual(1600);
    expect(runs[1]).toBeLessThanOrEqual(1601);
    const stopped = coalescer.stop({ flush: false });
    await jest.advanceTimersByTimeAsync(1500); // the second run ends
    await stopped;
  });

  it('flushes an unserved signal when stopped', async () => {
    const { coalescer, runs } = counting();
    coalescer.signal();
    await coalescer.stop({ flush: true });
    expect(runs).toHaveLength(1);
    coalescer.signal();
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toHaveLength(1);
  });
});
