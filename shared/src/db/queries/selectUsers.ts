import QueryStream from 'pg-query-stream';
import { API_USER_COLUMNS, type ApiUser } from './userApiColumns';
import type { Queryable } from './queryable';
import { userFilterSql, type UserFilter } from './userFilter';

/** One page in user_id order; asks for one row more than `limit` to know whether a next page exists. */
export async function selectUsersPage(db: Queryable, filter: UserFilter, limit: number): Promise<{ users: ApiUser[]; hasMore: boolean }> {
  const where = userFilterSql(filter);
  const { rows } = await db.query<ApiUser>(
    `SELECT ${API_USER_COLUMNS} FROM users WHERE ${where.text} ORDER BY user_id LIMIT ${limit + 1}`,
    where.values,
  );
  return { users: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** Every matching user in user_id order, read through a cursor a batch at a time. */
export function streamUsersQuery(filter: UserFilter): QueryStream {
  const where = userFilterSql(filter);
  return new QueryStream(`SELECT ${API_USER_COLUMNS} FROM users WHERE ${where.text} ORDER BY user_id`, where.values, { batchSize: 2000 });
}
