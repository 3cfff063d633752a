import { tableSize, type Pool, type RebuildJob } from '@userpipe/shared';
import { jobProgress, type JobProgress } from './jobProgress';

export type PresentedJob = RebuildJob & { progress: JobProgress | null };

/** Users counted exactly up to here; beyond, the planner's estimate is close enough for a progress bar. */
const EXACT_UP_TO = 100_000;

/**
 * Jobs as the API shows them: with the progress of the one that runs. The users it expects are
 * asked of Postgres only when one runs.
 */
export async function presentJobs(db: Pool, jobs: RebuildJob[], now: Date): Promise<PresentedJob[]> {
  const expected = jobs.some((job) => job.state === 'running') ? (await tableSize(db, 'users', EXACT_UP_TO)).count : 0;
  return jobs.map((job) => ({ ...job, progress: jobProgress(job, expected, now) }));
}

export async function presentJob(db: Pool, job: RebuildJob, now: Date): Promise<PresentedJob> {
  return (await presentJobs(db, [job], now))[0]!;
}
