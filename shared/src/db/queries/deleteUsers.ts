import type { Queryable } from './queryable';

export async function deleteUsers(db: Queryable, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.query('DELETE FROM users WHERE user_id = ANY($1::text[])', [userIds]);
}
