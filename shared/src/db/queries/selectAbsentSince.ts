import type { Queryable } from './queryable';

/** Which of these users a reconcile left without a row after `seq` was drawn. */
export async function selectAbsentSince(db: Queryable, userIds: readonly string[], seq: bigint): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const { rows } = await db.query<{ user_id: string }>(
    'SELECT user_id FROM user_absences WHERE user_id = ANY($1::text[]) AND seen_seq > $2::bigint',
    [userIds, seq.toString()],
  );
  return new Set(rows.map((r) => r.user_id));
}
