import pg from 'pg';
import { createPool, type Pool } from '../db/createPool';
import { migrate } from '../db/migrate';
import { createLogger } from '../logging/createLogger';
import type { PostgresSettings } from '../config/settings';

export const benchUserId = (i: number) => `u${String(i).padStart(7, '0')}`;

/** The benchmarks' database for a table of `users` users: the million-user one is shared by bench-query and bench-export. */
export const benchDatabaseName = (mainDatabase: string, users: number) => (users === 1_000_000 ? `${mainDatabase}_bench` : `${mainDatabase}_bench_${users}`);

/**
 * A benchmark's database of its own, `database` on the owner's server: created when missing,
 * migrated, and filled with `users` generated users (fillUsers) unless it holds that many
 * already, so a later run finds it ready. Logs in as the database owner.
 */
export async function prepareBenchDatabase(owner: PostgresSettings, database: string, users: number, pictureBucket: string): Promise<void> {
  const admin = new pg.Client({ host: owner.POSTGRES_HOST, port: owner.POSTGRES_PORT, user: owner.POSTGRES_USER, password: owner.POSTGRES_PASSWORD, database: owner.POSTGRES_DB });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount) await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const pool = createPool({ ...owner, POSTGRES_DB: database }, createLogger('bench', 'warn'));
  await migrate(pool);
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  if (rows[0]!.n !== users) {
    process.stdout.write(`filling ${database} with ${users} users... `);
    const started = performance.now();
    await fillUsers(pool, users, pictureBucket);
    console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  await pool.end();
}

/**
 * Fills the users table with `users` generated users in one statement: ids u0000001..., names
 * with a comma and quotes, birthdates spread over a hundred years, every other user with a
 * picture at `<pictureBucket>/<user_id>.png`. Then VACUUM ANALYZE, as a table that has lived has.
 */
async function fillUsers(pool: Pool, users: number, pictureBucket: string): Promise<void> {
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
