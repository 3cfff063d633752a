import type { Queryable } from './queryable';

export interface Rejection {
  key: string;
  userId: string;
  etag: string;
  reason: string;
}

/** Keeps the latest rejection per key; the time only moves when the verdict is new. */
export async function recordRejection(db: Queryable, r: Rejection): Promise<void> {
  await db.query(
    `INSERT INTO rejected_files (key, user_id, etag, reason) VALUES ($1, $2, $3, $4)
     ON CONFLICT (key) DO UPDATE SET user_id = excluded.user_id, etag = excluded.etag, reason = excluded.reason,
       rejected_at = CASE WHEN rejected_files.etag = excluded.etag AND rejected_files.reason = excluded.reason
                          THEN rejected_files.rejected_at ELSE now() END`,
    [r.key, r.userId, r.etag, r.reason],
  );
}
