/**
 * output.csv straight out of Postgres: header, one row per user in user_id order, birthdate
 * back to milliseconds, and a NULL img_path as an empty, unquoted cell. COPY does the CSV
 * quoting (RFC 4180) so names with commas, quotes or newlines survive.
 */
export const COPY_USERS_CSV = `COPY (
  SELECT user_id, first_name, last_name, (extract(epoch FROM birthdate) * 1000)::bigint AS birthts, img_path
    FROM users ORDER BY user_id
) TO STDOUT WITH (FORMAT csv, HEADER true)`;
