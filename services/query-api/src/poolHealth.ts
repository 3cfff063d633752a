import type { Pool } from '@userpipe/shared';

export interface PoolState {
  total: number;
  idle: number;
  waiting: number;
  /** Milliseconds the pool has had no free connection, or 0 while it has one. */
  starvedForMs: number;
}

/**
 * Watches whether the pool has a free connection: an idle one, or room to open another. A
 * process whose pool has had none for long (connections held by requests that never end) can
 * serve nothing that needs the database, so its liveness check should fail and get it restarted.
 * Sampled on a timer so that a pool that stays full is noticed without any request arriving.
 */
export function watchPool(pool: Pool, max: number, sampleMs = 500): { state(): PoolState; stop(): void } {
  let lastFree = Date.now();
  const hasFree = () => pool.idleCount > 0 || pool.totalCount < max;
  const sample = () => {
    if (hasFree()) lastFree = Date.now();
  };
  const timer = setInterval(sample, sampleMs);
  timer.unref();
  return {
    state() {
      sample();
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, starvedForMs: hasFree() ? 0 : Date.now() - lastFree };
    },
    stop: () => clearInterval(timer),
  };
}
