import {
  amqpUrl,
  createMinioClient,
  createPool,
  ResilientConsumer,
  type Logger,
  type RebuildSettings,
} from '@userpipe/shared';
import { RebuildScheduler } from './scheduler';

export interface RunningRebuildService {
  scheduler: RebuildScheduler;
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

  scheduler.start(settings.REBUILD_CRON);
  await requests.start();
  void scheduler.runPending('startup');
  logger.info('rebuild service started');
  return {
    scheduler,
    async stop() {
      await requests.stop();
      await scheduler.stop();
      await pool.end();
    },
  };
}
