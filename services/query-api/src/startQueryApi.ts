import { amqpUrls, createMinioClient, createPool, ingestQueues, RabbitmqNodes, type Logger, type QueryApiSettings } from '@userpipe/shared';
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from './app';
import { loadConsoleAssets } from './consoleAssets';
import { cachedStatus, gatherStatus } from './pipelineStatus';
import { watchPool } from './poolHealth';
import { QueueStats } from './queueStats';
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

/** Connects as the API's own read-only logins (Postgres, MinIO; RabbitMQ may only announce rebuilds), builds the app and listens. */
export async function startQueryApi(settings: QueryApiSettings, logger: Logger, now?: () => Date): Promise<RunningQueryApi> {
  const consoleAssets = await loadConsoleAssets();
  const login = { ...settings, POSTGRES_USER: settings.QUERY_POSTGRES_USER, POSTGRES_PASSWORD: settings.QUERY_POSTGRES_PASSWORD };
  const pool = createPool(login, logger);
  const readPool = settings.POSTGRES_READ_HOST
    ? createPool({ ...login, POSTGRES_HOST: settings.POSTGRES_READ_HOST, POSTGRES_PORT: settings.POSTGRES_READ_PORT ?? settings.POSTGRES_PORT }, logger)
    : pool;
  // The long replies (streamed users and rejections) hold the read pool's connections: it is
  // the one a client that never finishes reading could starve.
  const poolWatch = watchPool(readPool, settings.POSTGRES_POOL_SIZE);
  const rebuildRequests = new RebuildRequests(new RabbitmqNodes(amqpUrls(settings)), settings.REBUILD_QUEUE, logger);
  const queueStats = new QueueStats(new RabbitmqNodes(amqpUrls(settings), 2000), logger);
  const minio = createMinioClient({ ...settings, MINIO_ACCESS_KEY: settings.QUERY_MINIO_ACCESS_KEY, MINIO_SECRET_KEY: settings.QUERY_MINIO_SECRET_KEY });
  const status = cachedStatus(() =>
    gatherStatus({
      pool,
      queueStats,
      minio,
      srcBucket: settings.SRC_BUCKET,
      ingest: ingestQueues(settings.INGEST_QUEUE, settings.WORKER_RETRY_DELAYS_MS),
      rebuildQueue: settings.REBUILD_QUEUE,
      services: settings.API_STATUS_SERVICES,
      now: now ?? (() => new Date()),
    }),
  );
  const app = await buildApp({
    pool,
    readPool,
    poolState: () => poolWatch.state(),
    rebuildRequests,
    logger,
    maxPageSize: settings.API_MAX_PAGE_SIZE,
    stallTimeoutMs: settings.API_STALL_TIMEOUT_MS,
    poolStarvedMs: settings.API_POOL_STARVED_MS,
    now,
    minio,
    srcBucket: settings.SRC_BUCKET,
    status,
    consoleAssets,
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
      await queueStats.close();
      // A handler still waiting on a query holds its connection; the process ends anyway.
      await atMost(2000, Promise.all(readPool === pool ? [pool.end()] : [pool.end(), readPool.end()]));
    },
  };
}
