import type { Queryable } from './queryable';

/** A number from the sequence every row write draws from: rows written after this call hold larger ones. */
export async function drawWriteSeq(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ seq: string }>(`SELECT nextval('users_write_seq')::text AS seq`);
  return BigInt(rows[0]!.seq);
}
