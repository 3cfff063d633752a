import type { Queryable } from './queryable';

/** Whether a rebuild request waits in the table (its message may have been lost). */
export async function hasQueuedRebuildJob(db: Queryable): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM rebuild_jobs WHERE state = 'queued' LIMIT 1`);
  return (rowCount ?? 0) > 0;
}
