import { previousPage, type PreviousPage } from './pagePosition';
import type { Queryable } from './queryable';
import { userFilterSql, type UserFilter } from './userFilter';

/**
 * Where the page before a GET /data page starts (Link rel="prev"): the same filter, walked back
 * from the page's cursor on the user_id index, at most `limit + 1` rows.
 */
export async function selectPreviousUsersPage(db: Queryable, filter: UserFilter, limit: number): Promise<PreviousPage> {
  const { afterUserId, ...rest } = filter;
  if (afterUserId === undefined) return { kind: 'none' };
  const where = userFilterSql(rest, 2);
  const { rows } = await db.query<{ user_id: string }>(
    `SELECT user_id FROM users WHERE ${where.text} AND user_id <= $1 ORDER BY user_id DESC LIMIT ${Math.trunc(limit) + 1}`,
    [afterUserId, ...where.values],
  );
  return previousPage(
    rows.map((r) => r.user_id),
    limit,
  );
}
