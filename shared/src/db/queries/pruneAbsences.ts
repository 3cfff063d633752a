import type { Queryable } from './queryable';

/**
 * Forgets absences numbered below `seq`: only a rebuild whose listing began before them could
 * need them, and one rebuild runs at a time (its caller drew `seq` before listing).
 */
export async function pruneAbsences(db: Queryable, seq: bigint): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM user_absences WHERE seen_seq < $1::bigint', [seq.toString()]);
  return rowCount ?? 0;
}
