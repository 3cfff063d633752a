import type { UserRow } from '../../domain/reconcileDecision';
import type { Queryable } from './queryable';

/** A row as stored: its fields, and the number its latest write drew (`users_write_seq`). */
export interface StoredUserRow {
  row: UserRow;
  writeSeq: bigint;
}

/** The rows of these users, by user id; a user without a row is absent from the map. */
export async function selectUserRows(db: Queryable, userIds: readonly string[]): Promise<Map<string, StoredUserRow>> {
  const { rows } = await db.query<UserRow & { writeSeq: string }>(
    `SELECT user_id AS "userId", first_name AS "firstName", last_name AS "lastName",
            (extract(epoch FROM birthdate) * 1000)::bigint AS birthts,
            img_path AS "imgPath", csv_etag AS "csvEtag", write_seq::text AS "writeSeq"
       FROM users WHERE user_id = ANY($1::text[])`,
    [userIds],
  );
  return new Map(rows.map(({ writeSeq, ...row }) => [row.userId, { row, writeSeq: BigInt(writeSeq) }]));
}
