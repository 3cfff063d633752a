import { API_USER_COLUMNS } from './userApiColumns';
import { userFilterLiteralSql, type UserFilter } from './userFilter';

/** The API user columns (API_USER_COLUMNS) of the matching users, as COPY text rows in user_id order. */
export function copyApiUsersSql(filter: UserFilter = {}): string {
  return `COPY (SELECT ${API_USER_COLUMNS} FROM users WHERE ${userFilterLiteralSql(filter)} ORDER BY user_id) TO STDOUT`;
}
