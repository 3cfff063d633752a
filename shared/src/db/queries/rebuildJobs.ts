import { advisoryKey } from '../advisoryKey';
import type { Queryable } from './queryable';

// A rebuild job's lifecycle, every statement on rebuild_jobs but the console's pages
// (jobPages.ts): requested (or joined), claimed by the one runner, progress recorded, finished.

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

/** The rebuild job queued or running, if any (a partial unique index allows one). */
export async function selectActiveJob(db: Queryable): Promise<RebuildJob | null> {
  const { rows } = await db.query<RebuildJob>(`SELECT ${JOB_COLUMNS} FROM rebuild_jobs WHERE state IN ('queued', 'running')`);
  return rows[0] ?? null;
}

/** Whether a rebuild request waits in the table (its message may have been lost). */
export async function hasQueuedRebuildJob(db: Queryable): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM rebuild_jobs WHERE state = 'queued' LIMIT 1`);
  return (rowCount ?? 0) > 0;
}

/** Blocks until this session is the only rebuild runner anywhere; the lock goes with the session. */
export async function lockRebuildRunner(session: Queryable): Promise<void> {
  await session.query('SELECT pg_advisory_lock($1)', [advisoryKey('rebuild')]);
}

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

/** Progress while running, so GET /jobs/{id} can show how far along it is. */
export async function recordRebuildProgress(db: Queryable, id: string, summary: object): Promise<void> {
  await db.query(`UPDATE rebuild_jobs SET summary = $2 WHERE id = $1 AND state = 'running'`, [id, JSON.stringify(summary)]);
}

export async function finishRebuildJob(
  db: Queryable,
  id: string,
  outcome: { state: 'succeeded' | 'failed'; summary: object; error: string | null },
): Promise<void> {
  await db.query(`UPDATE rebuild_jobs SET state = $2, finished_at = now(), summary = $3, error = $4 WHERE id = $1`, [
    id,
    outcome.state,
    JSON.stringify(outcome.summary),
    outcome.error,
  ]);
}
