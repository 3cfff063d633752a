import type { Queryable } from './queryable';

/** The picture a user's row points to: undefined without such a user, null when it has none. */
export async function selectUserImagePath(db: Queryable, userId: string): Promise<string | null | undefined> {
  const { rows } = await db.query<{ img_path: string | null }>('SELECT img_path FROM users WHERE user_id = $1', [userId]);
  return rows.length === 0 ? undefined : rows[0]!.img_path;
}
