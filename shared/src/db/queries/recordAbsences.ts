import type { Queryable } from './queryable';

/** Notes that a reconcile left these users without a row; each draws a new number (`users_write_seq`). */
export async function recordAbsences(db: Queryable, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.query(
    `INSERT INTO user_absences (user_id) SELECT unnest($1::text[])
     ON CONFLICT (user_id) DO UPDATE SET seen_seq = excluded.seen_seq`,
    [userIds],
  );
}
