import {
  amqpUrls,
  buildHealthServer,
  connectionOptions,
  createMinioClient,
  createPool,
  EventDecodeError,
  ExportLeader,
  ingestTopology,
  migrate,
  outputCsvExporter,
  RabbitmqNodes,
  ResilientConsumer,
  type Logger,
  type ReconcileDeps,
  type WorkerSettings,
} from '@userpipe/shared';
import { createIngestBatches } from './ingestBatches';
import { createWorkerMetrics } from './metrics';

export interface RunningWorker {
  /** Address of the health and metrics server. */
  url: string;
  exporter: ExportLeader;
  stop(): Promise<void>;
}

/**
 * Wires the shared pieces into a worker: provisioning (migrations, queue topology), the AMQP
 * consumer invoking the handler, the output.csv exporter, and the health and metrics server.
 * Holds no state between messages. It logs in as its own MinIO and RabbitMQ users: the buckets
 * and their subscription to MinIO's MQTT targets are the stack's provisioning (root rights).
 */
export async function startWorker(settings: WorkerSettings, logger: Logger): Promise<RunningWorker> {
  const metrics = createWorkerMetrics();
  const pool = createPool(settings, logger);
  // Reconcile's own connections, pipelined: a batch that writes costs two round trips, not eight
  // (docs/scaling.md, "Round trips"). The export's COPY needs a plain connection: `pool`.
  const reconcilePool = createPool(settings, logger, { pipeline: true });
  const minio = createMinioClient(settings);

  const applied = await migrate(pool);
  if (applied.length) logger.info({ applied }, 'database migrated');

  const deps: ReconcileDeps = { pool: reconcilePool, minio, srcBucket: settings.SRC_BUCKET, maxFileBytes: settings.USER_FILE_MAX_BYTES, readConcurrency: settings.WORKER_READ_CONCURRENCY, seenExtensions: new Set() };

  const exporter = new ExportLeader({
    connection: connectionOptions(settings),
    debounceMs: settings.EXPORT_DEBOUNCE_MS,
    maxDelayMs: settings.EXPORT_MAX_DELAY_MS,
    logger,
    exportNow: outputCsvExporter({ pool, minio, target: { bucket: settings.RES_BUCKET, key: settings.OUTPUT_KEY }, logger, metrics }),
  });

  const batches = createIngestBatches({ deps, maxBatch: settings.WORKER_BATCH_SIZE, maxWaitMs: settings.WORKER_BATCH_WAIT_MS, metrics, logger });

  const topology = ingestTopology({
    exchange: settings.EVENTS_EXCHANGE,
    routingKey: settings.EVENTS_ROUTING_KEY,
    queue: settings.INGEST_QUEUE,
    retryDelaysMs: settings.WORKER_RETRY_DELAYS_MS,
  });
  const consumer = new ResilientConsumer({
    nodes: new RabbitmqNodes(amqpUrls(settings)),
    topology,
    retries: { queues: topology, maxAttempts: settings.WORKER_MAX_ATTEMPTS, askAgainForMs: settings.WORKER_ASK_AGAIN_FOR_MS, isRetryable: (err) => !(err instanceof EventDecodeError) },
    prefetch: settings.WORKER_PREFETCH,
    handle: batches.handle,
    logger,
    connectionName: `ingest-worker ${process.pid}`,
  });

  const http = buildHealthServer({
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
      await Promise.all([pool.end(), reconcilePool.end()]);
      logger.info('ingest worker stopped');
    },
  };
}
