import type { AppliedState } from '../../domain/alreadyApplied';
import type { Queryable } from './queryable';

/**
 * What Postgres holds for a set of users, as the skip rule reads it: the csv version the row was
 * built from, its picture, and a rejected csv version. Users with neither a row nor a rejection
 * are left out (they have applied nothing).
 */
export async function selectAppliedStates(db: Queryable, userIds: readonly string[]): Promise<Map<string, AppliedState>> {
  // A batch of other buckets' events asks about nobody, and must not fail with the database.
  if (userIds.length === 0) return new Map();
  const { rows } = await db.query<AppliedState & { userId: string }>(
    `SELECT ids.user_id AS "userId", u.csv_etag AS "csvEtag", u.img_path AS "imgPath", r.etag AS "rejectedCsvEtag"
       FROM unnest($1::text[]) AS ids(user_id)
       LEFT JOIN users u ON u.user_id = ids.user_id
       LEFT JOIN rejected_files r ON r.key = ids.user_id || '.csv'
      WHERE u.user_id IS NOT NULL OR r.key IS NOT NULL`,
    [userIds],
  );
  return new Map(rows.map(({ userId, ...state }) => [userId, state]));
}
