import { cachedStatus } from './pipelineStatus';
import type { PipelineStatus } from './schemas';

describe('cachedStatus', () => {
  const at = (n: number) => ({ generated_at: String(n) }) as PipelineStatus;

  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('asks once for requests that come while it gathers, and serves that answer for a second after', async () => {
    let calls = 0;
    const status = cachedStatus(async () => at(++calls), 1000);
    const [a, b] = await Promise.all([status(), status()]);
    expect([a.generated_at, b.generated_at, calls]).toEqual(['1', '1', 1]);
    jest.setSystemTime(999);
    expect((await status()).generated_at).toBe('1');
    jest.setSystemTime(1000);
    expect((await status()).generated_at).toBe('2');
  });

  it('keeps no failure: the next request gathers again', async () => {
    let calls = 0;
    const status = cachedStatus(async () => {
      calls += 1;
      if (calls === 1) throw new Error('down');
      return at(calls);
    });
    await expect(status()).rejects.toThrow('down');
    expect((await status()).generated_at).toBe('2');
  });
});
