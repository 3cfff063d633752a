import { API_USER_COLUMNS, apiUserJson, RAW_TEXT, type ApiUserRow } from './userApiColumns';
import type { Queryable } from './queryable';
import { userFilterSql, type UserFilter } from './userFilter';

/**
 * One page in user_id order, each user as JSON text; asks for one row more than `limit` to
 * know whether a next page exists.
 */
export async function selectUsersPage(db: Queryable, filter: UserFilter, limit: number): Promise<{ users: string[]; lastUserId?: string; hasMore: boolean }> {
  const where = userFilterSql(filter);
  const { rows } = await db.query<ApiUserRow>({
    text: `SELECT ${API_USER_COLUMNS} FROM users WHERE ${where.text} ORDER BY user_id LIMIT ${Math.trunc(limit) + 1}`,
    values: where.values,
    rowMode: 'array',
    types: RAW_TEXT,
  });
  const page = rows.slice(0, limit);
  return { users: page.map(apiUserJson), lastUserId: page.at(-1)?.[1], hasMore: rows.length > limit };
}
