import { userFilterLiteralSql, type UserFilter } from './userFilter';

/**
 * output.csv straight out of Postgres: header, one row per user in user_id order, birthdate
 * back to milliseconds, and a NULL img_path as an empty, unquoted cell. COPY does the CSV
 * quoting (RFC 4180) so names with commas, quotes or newlines survive. GET /data in CSV uses
 * the same statement with a filter, so the two can never disagree on format.
 */
export function copyUsersCsvSql(filter: UserFilter = {}, limit?: number): string {
  return `COPY (
  SELECT user_id, first_name, last_name, (extract(epoch FROM birthdate) * 1000)::bigint AS birthts, img_path
    FROM users WHERE ${userFilterLiteralSql(filter)} ORDER BY user_id${limit === undefined ? '' : ` LIMIT ${Math.trunc(limit)}`}
) TO STDOUT WITH (FORMAT csv, HEADER true)`;
}

export const COPY_USERS_CSV = copyUsersCsvSql();
