import { selectReplicationLag, type HealthEndpointsOptions, type Pool } from '@userpipe/shared';
import type { PoolState } from './poolHealth';

export interface ApiProbeDeps {
  pool: Pool;
  /** The replica users are read from, or `pool` itself when there is none. */
  readPool: Pool;
  poolState: () => PoolState;
  /** /healthz fails once the pool has had no free connection for this long. */
  starvedAfterMs: number;
}

/** The query API's /healthz and /readyz verdicts, served by the shared health endpoints. */
export function apiProbes({ pool, readPool, poolState, starvedAfterMs }: ApiProbeDeps): Pick<HealthEndpointsOptions, 'liveness' | 'readiness'> {
  return {
    // Liveness: the process answers and can still get a database connection. It does not ask the
    // database itself (a database outage is not cured by restarting us: that is /readyz's job),
    // but a pool that stays full is, since nothing gives its connections back.
    liveness() {
      const state = poolState();
      if (state.starvedForMs > starvedAfterMs) {
        return { ok: false, body: { status: 'stuck', pool: state, message: `no free database connection for ${Math.round(state.starvedForMs / 1000)} s` } };
      }
      return { ok: true, body: { status: 'ok' } };
    },
    // Readiness: both databases answer. With a replica, how far behind it is, for whoever routes
    // readers (it stays ready while behind: a lagging replica still serves a consistent past).
    async readiness() {
      try {
        await pool.query('SELECT 1');
      } catch (err) {
        return { ok: false, body: { status: 'not ready', postgres: (err as Error).message } };
      }
      if (readPool === pool) return { ok: true, body: { status: 'ready' } };
      try {
        return { ok: true, body: { status: 'ready', readReplica: await selectReplicationLag(readPool) } };
      } catch (err) {
        return { ok: false, body: { status: 'not ready', readReplica: (err as Error).message } };
      }
    },
  };
}
