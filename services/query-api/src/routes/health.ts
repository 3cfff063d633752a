import type { FastifyPluginAsync } from 'fastify';
import { selectReplicationLag, type Pool } from '@userpipe/shared';
import type { PoolState } from '../poolHealth';

export interface HealthRouteOptions {
  pool: Pool;
  /** The replica users are read from, or `pool` itself when there is none. */
  readPool: Pool;
  poolState: () => PoolState;
  /** /healthz fails once the pool has had no free connection for this long. */
  starvedAfterMs: number;
}

export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, { pool, readPool, poolState, starvedAfterMs }) => {
  // Liveness: the process answers and can still get a database connection. It does not ask the
  // database itself (a database outage is not cured by restarting us: that is /readyz's job),
  // but a pool that stays full is, since nothing gives its connections back.
  app.get('/healthz', { schema: { summary: 'The process answers and its database pool is not stuck', hide: true } }, async (_req, reply) => {
    const state = poolState();
    if (state.starvedForMs > starvedAfterMs) {
      return reply.code(503).send({ status: 'stuck', pool: state, message: `no free database connection for ${Math.round(state.starvedForMs / 1000)} s` });
    }
    return { status: 'ok' };
  });
  // Readiness: both databases answer. With a replica, how far behind it is, for whoever routes
  // readers (it stays ready while behind: a lagging replica still serves a consistent past).
  app.get('/readyz', { schema: { summary: 'The databases answer; with a read replica, its replication lag', hide: true } }, async (_req, reply) => {
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      return reply.code(503).send({ status: 'not ready', postgres: (err as Error).message });
    }
    if (readPool === pool) return { status: 'ready' };
    try {
      return { status: 'ready', readReplica: await selectReplicationLag(readPool) };
    } catch (err) {
      return reply.code(503).send({ status: 'not ready', readReplica: (err as Error).message });
    }
  });
};
