import type { Pool } from '@userpipe/shared';

export const benchUserId = (i: number) => `u${String(i).padStart(7, '0')}`;

/**
 * Fills the users table with `users` generated users in one statement: ids u0000001..., names
 * with a comma and quotes, birthdates spread over a hundred years, every other user with a
 * picture at `<pictureBucket>/<user_id>.png`. Then VACUUM ANALYZE, as a table that has lived has.
 */
export async function fillUsers(pool: Pool, users: number, pictureBucket: string): Promise<void> {
  await pool.query('TRUNCATE users');
  await pool.query(
    `INSERT INTO users (user_id, first_name, last_name, birthdate, img_path, csv_etag)
     SELECT 'u' || lpad(i::text, 7, '0'), 'First' || i, 'Last, "' || i || '"',
            timestamptz '1925-01-01' + (hashint4(i)::bigint & 2147483647) % (100::bigint * 365 * 86400) * interval '1 second',
            CASE WHEN i % 2 = 0 THEN $2 || '/u' || lpad(i::text, 7, '0') || '.png' END, md5(i::text)
       FROM generate_series(1, $1) AS i`,
    [users, pictureBucket],
  );
  await pool.query('VACUUM ANALYZE users');
}
