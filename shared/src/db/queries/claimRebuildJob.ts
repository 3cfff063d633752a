import { JOB_COLUMNS, type RebuildJob } from './requestRebuild';
import type { Queryable } from './queryable';

/**
 * Marks the active job running and returns it. Called only while holding the rebuild lock, so
 * a job found already running was left by a runner that died: it is run again.
 */
export async function claimRebuildJob(db: Queryable): Promise<RebuildJob | null> {
  const { rows } = await db.query<RebuildJob>(
    `UPDATE rebuild_jobs SET state = 'running', started_at = now()
      WHERE state IN ('queued', 'running') RETURNING ${JOB_COLUMNS}`,
  );
  return rows[0] ?? null;
}
