import { userLockKey } from '../advisoryKey';
import type { Queryable } from './queryable';

/**
 * Takes every user's lock that no other transaction holds, without waiting for any, and
 * returns the users whose lock another transaction holds (busy). Locks taken are released at
 * commit or rollback. As it never waits, it can take them in any order: a transaction that
 * calls it only after its waiting locks (lockUsers) can be in no cycle of waits.
 */
export async function tryLockUsers(tx: Queryable, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const usersOf = new Map<string, string[]>();
  for (const id of new Set(userIds)) {
    const key = userLockKey(id);
    usersOf.set(key, [...(usersOf.get(key) ?? []), id]);
  }
  const { rows } = await tx.query<{ key: string }>('SELECT k::text AS key FROM unnest($1::bigint[]) AS t(k) WHERE NOT pg_try_advisory_xact_lock(k)', [[...usersOf.keys()]]);
  return new Set(rows.flatMap((row) => usersOf.get(row.key) ?? []));
}
