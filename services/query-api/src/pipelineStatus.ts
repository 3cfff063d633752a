import {
  selectActiveJob,
  selectLastOutputExport,
  tableSize,
  type IngestQueues,
  type MinioClient,
  type Pool,
} from '@userpipe/shared';
import { presentJob } from './presentJobs';
import type { QueueStats } from './queueStats';
import type { PipelineStatus } from './schemas';
import { probeService } from './serviceHealth';

export interface StatusDeps {
  pool: Pool;
  queueStats: QueueStats;
  minio: MinioClient;
  srcBucket: string;
  /** The worker's queues, named as it names them (shared/src/messaging/ingestTopology.ts). */
  ingest: IngestQueues;
  rebuildQueue: string;
  /** Health servers to ask (API_STATUS_SERVICES). */
  services: { name: string; url: string }[];
  now: () => Date;
}

/** Tables are counted exactly up to here; beyond, the planner's estimate serves (a refresh every few seconds must not scan a million rows). */
const EXACT_UP_TO = 100_000;
/** How long a health server may take to answer before it counts as unreachable. */
const PROBE_TIMEOUT_MS = 1500;
/** How /status tells operators to replay dead letters (README, Operating it). */
const REPLAY = 'make replay-dead-letters';

const failure = (err: unknown) => (err as Error).message || String(err);

/** Everything the database says, or why it could not. */
async function fromDatabase(deps: StatusDeps) {
  try {
    const [lastExport, users, rejections, active] = await Promise.all([
      selectLastOutputExport(deps.pool),
      tableSize(deps.pool, 'users', EXACT_UP_TO),
      tableSize(deps.pool, 'rejected_files', EXACT_UP_TO),
      selectActiveJob(deps.pool),
    ]);
    return { ok: true as const, lastExport, counts: { users, rejections }, active: active && (await presentJob(deps.pool, active, deps.now())) };
  } catch (err) {
    return { ok: false as const, error: failure(err) };
  }
}

/** MinIO answers the API's own user for the source bucket (a HEAD of the bucket, which reading it allows). */
async function minioCheck(deps: StatusDeps): Promise<string | null> {
  try {
    return (await deps.minio.bucketExists(deps.srcBucket)) ? null : `bucket ${deps.srcBucket} does not exist`;
  } catch (err) {
    return failure(err);
  }
}

/** One look at the whole pipeline: its queues, the latest export, the tables' sizes, the rebuild, every service's readiness. */
export async function gatherStatus(deps: StatusDeps): Promise<PipelineStatus> {
  const { ingest } = deps;
  const names = [ingest.queue, ingest.deadLetterQueue, ...ingest.retryQueues.map((r) => r.name), deps.rebuildQueue];
  const [queues, db, minio, services] = await Promise.all([
    deps.queueStats.depths(names),
    fromDatabase(deps),
    minioCheck(deps),
    Promise.all(deps.services.map((service) => probeService(service, PROBE_TIMEOUT_MS))),
  ]);
  const [main, dead, ...rest] = queues.queues;
  const rebuild = rest.pop()!;
  return {
    generated_at: deps.now().toISOString(),
    queues: {
      ingest: main!,
      dead_letters: { ...dead!, replay: REPLAY },
      retries: rest.map((q, i) => ({ ...q, delay_ms: ingest.retryQueues[i]!.delayMs })),
      rebuild_requests: rebuild,
    },
    output_export: db.ok ? db.lastExport : null,
    counts: db.ok ? db.counts : null,
    active_job: db.ok ? db.active : null,
    services,
    dependencies: [
      { name: 'postgres', ok: db.ok, detail: db.ok ? null : db.error },
      { name: 'rabbitmq', ok: queues.error === null, detail: queues.error },
      { name: 'minio', ok: minio === null, detail: minio },
    ],
  };
}

/**
 * GET /status as many consoles poll it: requests that arrive while it is being gathered wait for
 * that one, and its answer serves for `maxAgeMs` after it is ready. A failed gathering is not kept.
 */
export function cachedStatus(gather: () => Promise<PipelineStatus>, maxAgeMs = 1000): () => Promise<PipelineStatus> {
  let latest: { readyAt: number | undefined; value: Promise<PipelineStatus> } | undefined;
  return () => {
    if (latest && (latest.readyAt === undefined || Date.now() - latest.readyAt < maxAgeMs)) return latest.value;
    const entry: { readyAt: number | undefined; value: Promise<PipelineStatus> } = { readyAt: undefined, value: gather() };
    latest = entry;
    entry.value.then(
      () => {
        entry.readyAt = Date.now();
      },
      () => {
        if (latest === entry) latest = undefined;
      },
    );
    return entry.value;
  };
}
