import type { Queryable } from './queryable';
import { JOB_COLUMNS, type RebuildJob } from './requestRebuild';

/** The rebuild job queued or running, if any (a partial unique index allows one). */
export async function selectActiveJob(db: Queryable): Promise<RebuildJob | null> {
  const { rows } = await db.query<RebuildJob>(`SELECT ${JOB_COLUMNS} FROM rebuild_jobs WHERE state IN ('queued', 'running')`);
  return rows[0] ?? null;
}
