import type { Pool } from 'pg';
import { lockUsers } from '../db/queries/lockUsers';

/**
 * Another transaction holding these users' reconcile locks, as a batch of another worker or a
 * rebuild would, until `release` commits it.
 */
export async function holdUserLocks(pool: Pool, ...userIds: string[]): Promise<{ release: () => Promise<void> }> {
  const client = await pool.connect();
  await client.query('BEGIN');
  await lockUsers(client, userIds);
  return {
    release: async () => {
      await client.query('COMMIT');
      client.release();
    },
  };
}

/** How many transactions wait for an advisory lock right now. */
export async function advisoryLockWaiters(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`);
  return rows[0]!.n;
}
