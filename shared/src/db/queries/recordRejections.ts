import type { Queryable } from './queryable';

export interface Rejection {
  key: string;
  userId: string;
  etag: string;
  reason: string;
}

/** Keeps the latest rejection per key, in one statement; the time only moves when the verdict is new. */
export async function recordRejections(db: Queryable, rejections: readonly Rejection[]): Promise<void> {
  if (rejections.length === 0) return;
  await db.query(
    `INSERT INTO rejected_files (key, user_id, etag, reason)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (key) DO UPDATE SET user_id = excluded.user_id, etag = excluded.etag, reason = excluded.reason,
       rejected_at = CASE WHEN rejected_files.etag = excluded.etag AND rejected_files.reason = excluded.reason
                          THEN rejected_files.rejected_at ELSE now() END`,
    [rejections.map((r) => r.key), rejections.map((r) => r.userId), rejections.map((r) => r.etag), rejections.map((r) => r.reason)],
  );
}
