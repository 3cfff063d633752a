import type { Queryable } from './queryable';

export async function deleteUser(db: Queryable, userId: string): Promise<void> {
  await db.query('DELETE FROM users WHERE user_id = $1', [userId]);
}
