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
 * index admits one). `created` says which, so only a new job is announced to the rebuild. A
 * full request joining a queued default one makes it full. The work is the SQL function
 * request_rebuild (migration 003): the query API's role may call it but not write rebuild_jobs.
 */
export async function requestRebuild(
  db: Queryable,
  requestedBy: string,
  mode: RebuildJob['mode'] = 'default',
): Promise<{ job: RebuildJob; created: boolean }> {
  const { rows } = await db.query<RebuildJob & { created: boolean }>(`SELECT ${JOB_COLUMNS}, created FROM request_rebuild($1, $2)`, [requestedBy, mode]);
  const { created, ...job } = rows[0]!;
  return { job, created };
}

export async function selectRebuildJob(db: Queryable, id: string): Promise<RebuildJob | null> {
  const { rows } = await db.query<RebuildJob>(`SELECT ${JOB_COLUMNS} FROM rebuild_jobs WHERE id = $1`, [id]);
  return rows[0] ?? null;
}
