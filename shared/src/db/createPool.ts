import pg from 'pg';
import type { Logger } from 'pino';
import type { PostgresSettings } from '../config/settings';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// bigint (int8) columns hold our millisecond timestamps; they fit a JS number exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function connectionOptions(s: PostgresSettings): pg.ClientConfig {
  return { host: s.POSTGRES_HOST, port: s.POSTGRES_PORT, database: s.POSTGRES_DB, user: s.POSTGRES_USER, password: s.POSTGRES_PASSWORD };
}

export function createPool(s: PostgresSettings, logger: Logger): pg.Pool {
  const pool = new pg.Pool({ ...connectionOptions(s), max: s.POSTGRES_POOL_SIZE, connectionTimeoutMillis: 10_000 });
  // A connection that dies (a database restart) must not crash the process. Idle ones are
  // replaced by the pool; one in use between two queries (a reconcile waiting on MinIO, an
  // export uploading) emits 'error' on itself, and its next query fails, which is handled there.
  pool.on('error', (err) => logger.warn({ err }, 'idle database connection lost'));
  pool.on('connect', (client) => client.on('error', (err) => logger.warn({ err }, 'database connection lost')));
  return pool;
}

/** Runs fn inside one transaction on one connection: commit on success, roll back on failure. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw err;
  } finally {
    // A connection that could not even roll back is discarded rather than reused.
    client.release(broken);
  }
}
