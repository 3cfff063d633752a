import { userLockKey } from '../advisoryKey';
import type { Queryable } from './queryable';

/** Blocks until this transaction holds the user's lock; it is released at commit or rollback. */
export async function lockUser(tx: Queryable, userId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [userLockKey(userId)]);
}
