import { Cron } from 'croner';
import { hasQueuedRebuildJob, requestRebuild, type Logger, type Pool } from '@userpipe/shared';
import { runActiveJob, type JobRunnerDeps } from './jobRunner';

/**
 * Runs rebuilds one after another in this process, whoever asks: the cron schedule, a
 * request from POST /data, or a job left queued (or orphaned by a runner that died).
 */
export class RebuildScheduler {
  private chain: Promise<unknown> = Promise.resolve();
  private cron: Cron | undefined;
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly deps: JobRunnerDeps & { pool: Pool; logger: Logger }) {}

  /** Runs whatever job is active; calls made while one runs queue behind it. */
  runPending(reason: string): Promise<unknown> {
    this.chain = this.chain.then(async () => {
      try {
        const finished = await runActiveJob(this.deps);
        if (finished) this.deps.logger.info({ reason, jobId: finished.job.id, ok: finished.ok }, 'rebuild job done');
      } catch (err) {
        this.deps.logger.error({ err, reason }, 'rebuild job failed');
      }
    });
    return this.chain;
  }

  start(pattern: string): void {
    this.cron = new Cron(pattern, { timezone: 'UTC', protect: true }, async () => {
      await requestRebuild(this.deps.pool, 'schedule');
      await this.runPending('schedule');
    });
    this.deps.logger.info({ cron: pattern, next: this.cron.nextRun()?.toISOString() }, 'nightly rebuild scheduled');
    // A request whose message was lost (RabbitMQ was down when it was made) is still a queued
    // row: look for one now and then, without queueing behind a rebuild running elsewhere.
    this.poll = setInterval(() => {
      void hasQueuedRebuildJob(this.deps.pool)
        .then((queued) => (queued ? this.runPending('queued job found') : undefined))
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'could not look for queued rebuild jobs'));
    }, 30_000);
  }

  nextRun(): Date | null {
    return this.cron?.nextRun() ?? null;
  }

  async stop(): Promise<void> {
    this.cron?.stop();
    clearInterval(this.poll);
    await this.chain;
  }
}
