import type { Queryable } from './queryable';

export interface RebuildJob {
  id: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed';
  mode: 'default' | 'full';
  requested_at: string;
  started_at: string | null;
  finished_at: string | null;
  summary: Record<string, unknown>;
  error: string | null;
}

export const JOB_COLUMNS = `id, state, mode, requested_at, started_at, finished_at, summary, error`;

/**
 * Records a rebuild request, or joins the one already queued or running (a partial unique
 * index admits one). `created` says which, so only a new job is announced to the rebuild.
 */
export async function requestRebuild(
  db: Queryable,
  requestedBy: string,
  mode: RebuildJob['mode'] = 'default',
): Promise<{ job: RebuildJob; created: boolean }> {
  for (;;) {
    const inserted = await db.query<RebuildJob>(
      `INSERT INTO rebuild_jobs (requested_by, mode) VALUES ($1, $2)
       ON CONFLICT ((true)) WHERE state IN ('queued', 'running') DO NOTHING
       RETURNING ${JOB_COLUMNS}`,
      [requestedBy, mode],
    );
    if (inserted.rows[0]) return { job: inserted.rows[0], created: true };
    // A full request joining a queued default one makes it full (the query API only asks for default ones).
    const active = await db.query<RebuildJob>(
      mode === 'full'
        ? `UPDATE rebuild_jobs SET mode = CASE WHEN state = 'queued' THEN 'full' ELSE mode END
            WHERE state IN ('queued', 'running') RETURNING ${JOB_COLUMNS}`
        : `SELECT ${JOB_COLUMNS} FROM rebuild_jobs WHERE state IN ('queued', 'running')`,
    );
    // Empty only if the active job finished in between: then this request starts a new one.
    if (active.rows[0]) return { job: active.rows[0], created: false };
  }
}

export async function selectRebuildJob(db: Queryable, id: string): Promise<RebuildJob | null> {
  const { rows } = await db.query<RebuildJob>(`SELECT ${JOB_COLUMNS} FROM rebuild_jobs WHERE id = $1`, [id]);
  return rows[0] ?? null;
}
