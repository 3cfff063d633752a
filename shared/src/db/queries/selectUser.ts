import type { UserRow } from '../../domain/reconcileDecision';
import type { Queryable } from './queryable';

export async function selectUser(db: Queryable, userId: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `SELECT user_id AS "userId", first_name AS "firstName", last_name AS "lastName",
            (extract(epoch FROM birthdate) * 1000)::bigint AS birthts,
            img_path AS "imgPath", csv_etag AS "csvEtag"
       FROM users WHERE user_id = $1`,
    [userId],
  );
  return rows[0] ?? null;
}
