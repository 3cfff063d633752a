import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  amqpUrl,
  buildHttpServer,
  createMinioClient,
  createPool,
  ResilientConsumer,
  type Logger,
  type RebuildSettings,
} from '@userpipe/shared';
import { RebuildScheduler } from './scheduler';

export interface RunningRebuildService {
  scheduler: RebuildScheduler;
  /** Address of the health and metrics server. */
  url: string;
  stop(): Promise<void>;
}

/** The long-running rebuild service: the nightly schedule, POST /data requests, and jobs left queued. */
export async function startRebuildService(settings: RebuildSettings, logger: Logger): Promise<RunningRebuildService> {
  const pool = createPool({ ...settings, POSTGRES_POOL_SIZE: settings.REBUILD_CONCURRENCY + 4 }, logger);
  const minio = createMinioClient(settings);
  const scheduler = new RebuildScheduler({ pool, minio, settings, logger });

  // The message only wakes us up: the job row is the record, so it is acked at once and a
  // long rebuild never holds a delivery open.
  const requests = new ResilientConsumer({
    url: amqpUrl(settings),
    topology: { exchange: '', routingKey: '', queue: settings.REBUILD_QUEUE, retryQueues: [], deadLetterQueue: `${settings.REBUILD_QUEUE}.dead` },
    declare: async (ch) => {
      await ch.assertQueue(settings.REBUILD_QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      await ch.assertQueue(`${settings.REBUILD_QUEUE}.dead`, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    },
    prefetch: 1,
    maxAttempts: 1,
    handle: async () => {
      void scheduler.runPending('request');
    },
    isRetryable: () => false,
    logger,
    connectionName: `rebuild ${process.pid}`,
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = buildHttpServer({
    registry,
    checks: {
      postgres: () => pool.query('SELECT 1'),
      rabbitmq: async () => {
        if (!requests.connected) throw new Error('not consuming rebuild requests');
      },
    },
  });

  scheduler.start(settings.REBUILD_CRON);
  await requests.start();
  void scheduler.runPending('startup');
  const url = await http.listen({ host: settings.REBUILD_HTTP_HOST, port: settings.REBUILD_HTTP_PORT });
  logger.info({ url, next: scheduler.nextRun()?.toISOString() }, 'rebuild service started');
  return {
    scheduler,
    url,
    async stop() {
      await http.close();
      await requests.stop();
      await scheduler.stop();
      await pool.end();
    },
  };
}
