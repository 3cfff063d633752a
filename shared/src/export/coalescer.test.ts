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
    await jest.advanceTimersByTimeAsync(200);
    expect(runs).toEqual([100, 500]);
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
