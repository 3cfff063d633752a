import pg from 'pg';
import {
  claimRebuildJob,
  connectionOptions,
  ensureBucket,
  exportOutputCsv,
  finishRebuildJob,
  lockRebuildRunner,
  recordRebuildProgress,
  tableSize,
  type Logger,
  type Pool,
  type RebuildJob,
  type RebuildSettings,
} from '@userpipe/shared';
import type { Client } from 'minio';
import { createProgressReporter } from './progressReporter';
import { runRebuild, type RebuildSummary } from './runRebuild';

export interface JobRunnerDeps {
  pool: Pool;
  minio: Client;
  settings: RebuildSettings;
  logger: Logger;
  /** Draw a progress bar (a terminal) rather than log lines. */
  tty?: boolean;
}

export interface FinishedJob {
  job: RebuildJob;
  summary: RebuildSummary;
  ok: boolean;
}

/**
 * Runs the active rebuild job, if any, as the only runner anywhere: the rebuild lock is a
 * Postgres advisory lock, so replicas on any host queue behind it. A runner that dies drops
 * the lock with its session, and the next one runs its job again. Ends with one export.
 */
export async function runActiveJob(deps: JobRunnerDeps): Promise<FinishedJob | null> {
  const { settings, logger } = deps;
  const session = new pg.Client(connectionOptions(settings));
  session.on('error', (err) => logger.warn({ err }, 'rebuild session lost'));
  await session.connect();
  try {
    await lockRebuildRunner(session);
    const job = await claimRebuildJob(deps.pool);
    if (!job) return null;
    const full = job.mode === 'full';
    logger.info({ jobId: job.id, mode: job.mode }, 'rebuild started');
    // What the progress bar expects: exact for a small table, the planner's estimate beyond (no scan of a million rows).
    const users = await tableSize(deps.pool, 'users', 100_000);
    let lastSaved = 0;
    const progress = createProgressReporter({
      tty: deps.tty ?? false,
      logger,
      intervalMs: settings.REBUILD_PROGRESS_INTERVAL_MS,
      expectedTotal: users.count,
      onTick: (s) => {
        if (Date.now() - lastSaved < settings.REBUILD_PROGRESS_INTERVAL_MS) return;
        lastSaved = Date.now();
        void recordRebuildProgress(deps.pool, job.id, s).catch(() => undefined);
      },
    });
    let summary: RebuildSummary;
    try {
      summary = await runRebuild(
        { pool: deps.pool, minio: deps.minio, srcBucket: settings.SRC_BUCKET, maxFileBytes: settings.USER_FILE_MAX_BYTES, session, logger },
        { full, concurrency: settings.REBUILD_CONCURRENCY, onProgress: (s) => progress.update(s) },
      );
    } catch (err) {
      progress.stop();
      await finishRebuildJob(deps.pool, job.id, { state: 'failed', summary: {}, error: (err as Error).message });
      logger.error({ err, jobId: job.id }, 'rebuild failed');
      throw err;
    }
    progress.stop();
    let error: string | null = summary.failed > 0 ? `${summary.failed} users could not be reconciled` : null;
    try {
      await ensureBucket(deps.minio, settings.RES_BUCKET);
      const exported = await exportOutputCsv(deps.pool, deps.minio, { bucket: settings.RES_BUCKET, key: settings.OUTPUT_KEY });
      logger.info(exported, 'output.csv exported');
    } catch (err) {
      error = `output.csv export failed: ${(err as Error).message}`;
    }
    const ok = error === null;
    await finishRebuildJob(deps.pool, job.id, { state: ok ? 'succeeded' : 'failed', summary, error });
    logger.info({ jobId: job.id, ...summary, failures: undefined }, ok ? 'rebuild finished' : 'rebuild finished with failures');
    return { job: { ...job, state: ok ? 'succeeded' : 'failed' }, summary, ok };
  } finally {
    await session.end().catch(() => undefined);
  }
}
