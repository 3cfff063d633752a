import { createLimiter } from './limiter';

describe('createLimiter', () => {
  it('runs at most the given number of tasks at once, and all of them', async () => {
    const limiter = createLimiter(3);
    let running = 0;
    let peak = 0;
    let done = 0;
    for (let i = 0; i < 20; i++) {
      await limiter.schedule(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        done++;
      });
    }
    await limiter.idle();
    expect(peak).toBe(3);
    expect(done).toBe(20);
  });
});
