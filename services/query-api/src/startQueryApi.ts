import { amqpUrl, createPool, type Logger, type QueryApiSettings } from '@userpipe/shared';
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from './app';
import { watchPool } from './poolHealth';
import { RebuildRequests } from './rebuildRequests';

export interface RunningQueryApi {
  url: string;
  app: FastifyInstance;
  stop(): Promise<void>;
}

/** Resolves with `work`, or after `ms` with nothing: a step of the shutdown that may not hold it up. */
async function atMost(ms: number, work: Promise<unknown>): Promise<void> {
  const ac = new AbortController();
  await Promise.race([work.finally(() => ac.abort()), sleep(ms, undefined, { signal: ac.signal }).catch(() => undefined)]);
}

/** Connects as the read-only role, builds the app and listens. */
export async function startQueryApi(settings: QueryApiSettings, logger: Logger, now?: () => Date): Promise<RunningQueryApi> {
  const pool = createPool({ ...settings, POSTGRES_USER: settings.QUERY_POSTGRES_USER, POSTGRES_PASSWORD: settings.QUERY_POSTGRES_PASSWORD }, logger);
  const poolWatch = watchPool(pool, settings.POSTGRES_POOL_SIZE);
  const rebuildRequests = new RebuildRequests(amqpUrl(settings), settings.REBUILD_QUEUE, logger);
  const app = await buildApp({
    pool,
    poolState: poolWatch.state,
    rebuildRequests,
    logger,
    maxPageSize: settings.API_MAX_PAGE_SIZE,
    stallTimeoutMs: settings.API_STALL_TIMEOUT_MS,
    poolStarvedMs: settings.API_POOL_STARVED_MS,
    now,
  });
  const url = await app.listen({ host: settings.API_HOST, port: settings.API_PORT });
  return {
    url,
    app,
    // Stop accepting at once; let running replies finish until the deadline, then cut them off
    // (which tears their streams down and gives their connections back) and close the rest.
    async stop() {
      const closed = app.close();
      const deadline = setTimeout(() => {
        logger.warn({ afterMs: settings.API_SHUTDOWN_TIMEOUT_MS }, 'shutdown deadline passed: cutting off the replies still running');
        app.server.closeAllConnections();
      }, settings.API_SHUTDOWN_TIMEOUT_MS);
      try {
        await closed;
      } finally {
        clearTimeout(deadline);
      }
      poolWatch.stop();
      await rebuildRequests.close();
      // A handler still waiting on a query holds its connection; the process ends anyway.
      await atMost(2000, pool.end());
    },
  };
}
