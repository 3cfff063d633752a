import { Registry, collectDefaultMetrics } from 'prom-client';
import {
  amqpUrls,
  buildHealthServer,
  createMinioClient,
  rebuildTopology,
  RabbitmqNodes,
  ResilientConsumer,
  type Logger,
  type RebuildSettings,
} from '@userpipe/shared';
import { createRebuildPool } from './rebuildPool';
import { RebuildScheduler } from './scheduler';

export interface RunningRebuildService {
  scheduler: RebuildScheduler;
  /** Address of the health and metrics server. */
  url: string;
  stop(): Promise<void>;
}

/** The long-running rebuild service: the nightly schedule, POST /data requests, and jobs left queued. */
export async function startRebuildService(settings: RebuildSettings, logger: Logger): Promise<RunningRebuildService> {
  const pool = createRebuildPool(settings, logger);
  const minio = createMinioClient(settings);
  const scheduler = new RebuildScheduler({ pool, minio, settings, logger });

  // The message only wakes us up: the job row is the record, so it is acked at once and a
  // long rebuild never holds a delivery open. The handler cannot fail, and there are no retries:
  // the rebuild's RabbitMQ user could not move a message anywhere (it may not publish at all).
  const requests = new ResilientConsumer({
    nodes: new RabbitmqNodes(amqpUrls(settings)),
    topology: rebuildTopology(settings.REBUILD_QUEUE),
    prefetch: 1,
    handle: async () => {
      void scheduler.runPending('request');
    },
    logger,
    connectionName: `rebuild ${process.pid}`,
  });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = buildHealthServer({
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
