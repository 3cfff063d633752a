import pg from 'pg';
import type { Logger } from 'pino';
import type { PostgresSettings } from '../config/settings';
import { inOrder, type Statement } from './inOrder';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// bigint (int8) columns hold our millisecond timestamps; they fit a JS number exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function connectionOptions(s: PostgresSettings): pg.ClientConfig {
  return { host: s.POSTGRES_HOST, port: s.POSTGRES_PORT, database: s.POSTGRES_DB, user: s.POSTGRES_USER, password: s.POSTGRES_PASSWORD };
}

/**
 * `pipeline`: its connections send a statement without waiting for the answer to the one before
 * (inOrder, withTransaction), which saves round trips; they refuse COPY and cursors, so a
 * service that needs those keeps a plain pool for them (docs/scaling.md, "Round trips").
 */
export function createPool(s: PostgresSettings, logger: Logger, opts: { pipeline?: boolean } = {}): pg.Pool {
  const pool = new pg.Pool({ ...connectionOptions(s), max: s.POSTGRES_POOL_SIZE, connectionTimeoutMillis: 10_000, pipeline: opts.pipeline ?? false });
  // A connection that dies (a database restart) must not crash the process. Idle ones are
  // replaced by the pool; one in use between two queries (a reconcile waiting on MinIO, an
  // export uploading) emits 'error' on itself, and its next query fails, which is handled there.
  pool.on('error', (err) => logger.warn({ err }, 'idle database connection lost'));
  pool.on('connect', (client) => client.on('error', (err) => logger.warn({ err }, 'database connection lost')));
  return pool;
}

/** What a transaction's body hands back: its result, and the statements to send with the COMMIT. */
export interface TransactionEnd<T> {
  result: T;
  /** Sent with the COMMIT, in this order: one round trip on a pipelined pool. */
  lastly?: Statement[];
}

/**
 * Runs fn inside one transaction on one connection: commit on success, roll back on failure. On
 * a pipelined pool the BEGIN goes out with fn's first statements, and fn's `lastly` with the
 * COMMIT, so neither costs a round trip of its own (inOrder).
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<TransactionEnd<T>>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const [, { result, lastly = [] }] = await inOrder(client, () => client.query('BEGIN'), () => fn(client));
    await inOrder(client, ...lastly, () => client.query('COMMIT'));
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
