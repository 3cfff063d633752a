#!/usr/bin/env node
/**
 * `make rebuild` (`node services/rebuild/dist/cli.js [--full]`): asks for a rebuild, runs it
 * (or waits for the one already running, and reports that), prints the summary and exits 0
 * when every user was reconciled and output.csv written, 1 otherwise, 2 on bad usage.
 */
import { createLogger, createMinioClient, loadSettingsOrExit, rebuildSettings, requestRebuild, selectRebuildJob } from '@userpipe/shared';
import { runActiveJob } from './jobRunner';
import { createRebuildPool } from './rebuildPool';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.some((a) => a !== '--full')) {
    process.stderr.write('usage: rebuild [--full]\n  --full  reread every csv, even those unchanged since the last run\n');
    return 2;
  }
  const settings = loadSettingsOrExit('rebuild', rebuildSettings);
  const logger = createLogger('rebuild', settings.LOG_LEVEL);
  const pool = createRebuildPool(settings, logger);
  const minio = createMinioClient(settings);
  try {
    const { job, created } = await requestRebuild(pool, 'cli', args.includes('--full') ? 'full' : 'default');
    if (!created) process.stderr.write(`a rebuild is already ${job.state} (job ${job.id}); joining it\n`);
    // Run jobs until ours is done: another runner may hold the lock and finish it first.
    for (;;) {
      await runActiveJob({ pool, minio, settings, logger, tty: process.stderr.isTTY });
      const mine = await selectRebuildJob(pool, job.id);
      if (mine && (mine.state === 'succeeded' || mine.state === 'failed')) {
        process.stdout.write(`${JSON.stringify({ job: mine.id, state: mine.state, ...mine.summary, error: mine.error }, null, 2)}\n`);
        return mine.state === 'succeeded' ? 0 : 1;
      }
    }
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`rebuild failed: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
