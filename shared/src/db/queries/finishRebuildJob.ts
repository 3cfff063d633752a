import type { Queryable } from './queryable';

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

/** Progress while running, so GET /jobs/{id} can show how far along it is. */
export async function recordRebuildProgress(db: Queryable, id: string, summary: object): Promise<void> {
  await db.query(`UPDATE rebuild_jobs SET summary = $2 WHERE id = $1 AND state = 'running'`, [id, JSON.stringify(summary)]);
}
