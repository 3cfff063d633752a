import { userLockKey } from '../advisoryKey';
import type { Queryable } from './queryable';

/**
 * Blocks until this transaction holds every user's lock; they are released at commit or
 * rollback. Taken one after another in one fixed order (sorted lock keys), so two
 * transactions locking overlapping sets never wait on each other in a cycle.
 */
export async function lockUsers(tx: Queryable, userIds: readonly string[]): Promise<void> {
  const keys = [...new Set(userIds.map(userLockKey))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  if (keys.length === 0) return;
  if (keys.length === 1) {
    await tx.query('SELECT pg_advisory_xact_lock($1)', keys);
    return;
  }
  // WITH ORDINALITY keeps the array's order through the scan, so the locks are taken in it.
  await tx.query('SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) WITH ORDINALITY AS t(k, i) ORDER BY i', [keys]);
}
