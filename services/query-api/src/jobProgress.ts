import type { RebuildJob } from '@userpipe/shared';

export interface JobProgress {
  done: number;
  total: number;
  per_second: number;
  eta_seconds: number | null;
}

/** The outcomes the rebuild counts in a job's summary as it goes (services/rebuild, RebuildSummary); each is one user done. */
const DONE_COUNTS = ['inserted', 'updated', 'unchanged', 'deleted', 'rejected', 'absent', 'failed'] as const;

const count = (summary: Record<string, unknown>, key: string): number => {
  const value = summary[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
};

/**
 * How far a running job is, from the counts the rebuild records while it runs: users done,
 * of the users expected (those Postgres holds, or more once the bucket listing has shown more),
 * the rate since it started, and the time left at that rate. Null unless the job runs.
 */
export function jobProgress(job: Pick<RebuildJob, 'state' | 'started_at' | 'summary'>, expectedUsers: number, now: Date): JobProgress | null {
  if (job.state !== 'running' || job.started_at === null) return null;
  const done = DONE_COUNTS.reduce((sum, key) => sum + count(job.summary, key), 0);
  const total = Math.max(expectedUsers, count(job.summary, 'seen'), done);
  const seconds = (now.getTime() - new Date(job.started_at).getTime()) / 1000;
  const perSecond = seconds > 0 ? done / seconds : 0;
  return {
    done,
    total,
    per_second: Math.round(perSecond * 10) / 10,
    eta_seconds: perSecond > 0 ? Math.round((total - done) / perSecond) : null,
  };
}
