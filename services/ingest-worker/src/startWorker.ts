import {
  amqpUrl,
  buildHttpServer,
  connectionOptions,
  createMinioClient,
  createPool,
  decodeBucketEvent,
  EventDecodeError,
  ExportLeader,
  exportOutputCsv,
  ingestTopology,
  migrate,
  provisionBuckets,
  ResilientConsumer,
  type Delivery,
  type Logger,
  type ReconcileDeps,
  type WorkerSettings,
} from '@userpipe/shared';
import { handleBucketEvent } from './handleBucketEvent';
import { createWorkerMetrics } from './metrics';

export interface RunningWorker {
  /** Address of the health and metrics server. */
  url: string;
  exporter: ExportLeader;
  stop(): Promise<void>;
}

/**
 * Wires the shared pieces into a worker: provisioning (migrations, buckets, bucket
 * subscription, queue topology), the AMQP consumer invoking the handler, the output.csv
 * exporter, and the health and metrics server. Holds no state between messages.
 */
export async function startWorker(settings: WorkerSettings, logger: Logger): Promise<RunningWorker> {
  const metrics = createWorkerMetrics();
  const pool = createPool(settings, logger);
  const minio = createMinioClient(settings);

  const applied = await migrate(pool);
  if (applied.length) logger.info({ applied }, 'database migrated');
  await provisionBuckets(minio, settings);

  const deps: ReconcileDeps = { pool, minio, srcBucket: settings.SRC_BUCKET, maxFileBytes: settings.USER_FILE_MAX_BYTES };
  const target = { bucket: settings.RES_BUCKET, key: settings.OUTPUT_KEY };

  const exporter = new ExportLeader({
    connection: connectionOptions(settings),
    debounceMs: settings.EXPORT_DEBOUNCE_MS,
    maxDelayMs: settings.EXPORT_MAX_DELAY_MS,
    logger,
    exportNow: async () => {
      const stopTimer = metrics.exportSeconds.startTimer();
      try {
        const result = await exportOutputCsv(pool, minio, target);
        metrics.exports.inc({ result: 'ok' });
        logger.info({ ...result, output: `${target.bucket}/${target.key}`, seconds: stopTimer() }, 'output.csv exported');
      } catch (err) {
        metrics.exports.inc({ result: 'failed' });
        throw err;
      }
    },
  });

  const handle = async ({ body, attempt }: Delivery) => {
    for (const record of decodeBucketEvent(body)) {
      const stopTimer = metrics.reconcileSeconds.startTimer();
      try {
        const { outcome, userId } = await handleBucketEvent(record, deps);
        metrics.events.inc({ outcome });
        if (outcome === 'rejected') metrics.rejections.inc();
        if (outcome === 'ignored') logger.info({ key: record.key, event: record.eventName, outcome }, 'key is not a user file');
        else logger.info({ key: record.key, event: record.eventName, userId, outcome, attempt, seconds: stopTimer() }, 'event handled');
      } catch (err) {
        metrics.events.inc({ outcome: 'failed' });
        throw err;
      }
    }
  };

  const consumer = new ResilientConsumer({
    url: amqpUrl(settings),
    topology: ingestTopology({
      exchange: settings.EVENTS_EXCHANGE,
      routingKey: settings.EVENTS_ROUTING_KEY,
      queue: settings.INGEST_QUEUE,
      retryDelaysMs: settings.WORKER_RETRY_DELAYS_MS,
    }),
    prefetch: settings.WORKER_PREFETCH,
    maxAttempts: settings.WORKER_MAX_ATTEMPTS,
    handle,
    isRetryable: (err) => !(err instanceof EventDecodeError),
    logger,
    connectionName: `ingest-worker ${process.pid}`,
  });

  const http = buildHttpServer({
    registry: metrics.registry,
    checks: {
      postgres: () => pool.query('SELECT 1'),
      rabbitmq: async () => {
        if (!consumer.connected) throw new Error('not consuming');
      },
      minio: () => minio.bucketExists(settings.SRC_BUCKET),
    },
  });

  exporter.start();
  await consumer.start();
  const url = await http.listen({ host: settings.WORKER_HTTP_HOST, port: settings.WORKER_HTTP_PORT });
  logger.info({ url, queue: settings.INGEST_QUEUE, prefetch: settings.WORKER_PREFETCH }, 'ingest worker started');

  return {
    url,
    exporter,
    async stop() {
      // Finish the messages in hand first; then publish what they changed; then let go.
      await consumer.stop();
      await exporter.stop();
      await http.close();
      await pool.end();
      logger.info('ingest worker stopped');
    },
  };
}
