import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The worker's Prometheus metrics, on a registry of its own so several workers can share a process (tests). */
export function createWorkerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    events: new Counter({
      name: 'userpipe_events_total',
      help: 'Bucket event records handled, by outcome (inserted, updated, unchanged, deleted, absent, rejected, skipped, ignored, other_bucket, failed)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'userpipe_batch_duration_seconds',
      help: 'Time to handle one micro-batch of deliveries: decode, skip, lock to commit',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    missed: new Counter({
      name: 'userpipe_deliveries_missed_total',
      help: 'Deliveries whose reconcile missed what their event announced (a stale read, or a change superseded since); each is asked again through the delay queues for WORKER_ASK_AGAIN_FOR_MS at most',
      registers: [registry],
    }),
    unannounced: new Counter({
      name: 'userpipe_unannounced_changes_total',
      help: 'Reconciles that changed a row in a way no event of their batch announced (a stale read, or a change whose event comes later): row removed, csv version replaced, picture lost or gained; each user is read again through the delay queues until WORKER_ASK_AGAIN_FOR_MS is up',
      registers: [registry],
    }),
    rejections: new Counter({
      name: 'userpipe_rejections_total',
      help: 'User files found unusable',
      registers: [registry],
    }),
    exports: new Counter({
      name: 'userpipe_exports_total',
      help: 'output.csv exports, by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    exportSeconds: new Histogram({
      name: 'userpipe_export_duration_seconds',
      help: 'Time to write output.csv from a snapshot',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
      registers: [registry],
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
