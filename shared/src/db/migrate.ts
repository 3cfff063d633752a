import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Pool } from './createPool';
import { advisoryKey } from './advisoryKey';

/** sql/ sits two levels above both src/db and dist/db. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '../../sql/migrations');

/**
 * Applies, in name order, every migration not yet recorded in schema_migrations, each in its
 * own transaction. Replicas starting together queue on an advisory lock, so each migration
 * runs once.
 */
export async function migrate(pool: Pool, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [advisoryKey('migrations')]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      if (done.has(version)) continue;
      const sql = await readFile(path.join(dir, file), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [advisoryKey('migrations')]).catch(() => undefined);
    client.release();
  }
  return applied;
}
