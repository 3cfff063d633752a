import { previousPage, type PreviousPage } from './pagePosition';
import type { Queryable } from './queryable';
import { JOB_COLUMNS, type RebuildJob } from './rebuildJobs';

// Jobs recent first: by requested_at, then id, both descending (index rebuild_jobs_recent). A
// cursor is the id of the last job of a page; jobs are never deleted, so it always names one.
// An id no job has places nothing before or after it: its pages are empty.
const CURSOR_POSITION = `(SELECT requested_at, id FROM rebuild_jobs WHERE id = $1)`;

/** One page of jobs, recent first, after the job `afterId` when given. */
export async function selectJobsPage(db: Queryable, afterId: string | undefined, limit: number): Promise<{ jobs: RebuildJob[]; hasMore: boolean }> {
  const { rows } = await db.query<RebuildJob>(
    afterId === undefined
      ? `SELECT ${JOB_COLUMNS} FROM rebuild_jobs ORDER BY requested_at DESC, id DESC LIMIT ${Math.trunc(limit) + 1}`
      : `SELECT ${JOB_COLUMNS} FROM rebuild_jobs WHERE (requested_at, id) < ${CURSOR_POSITION} ORDER BY requested_at DESC, id DESC LIMIT ${Math.trunc(limit) + 1}`,
    afterId === undefined ? [] : [afterId],
  );
  return { jobs: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Where the page before the one after job `cursor` starts: the jobs from it onwards, nearest first. */
export async function selectPreviousJobsPage(db: Queryable, cursor: string, limit: number): Promise<PreviousPage> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM rebuild_jobs WHERE (requested_at, id) >= ${CURSOR_POSITION} ORDER BY requested_at, id LIMIT ${Math.trunc(limit) + 1}`,
    [cursor],
  );
  return previousPage(
    rows.map((r) => r.id),
    limit,
  );
}
