import type { AppliedState } from '../../domain/alreadyApplied';
import type { UserRow } from '../../domain/reconcileDecision';
import type { Queryable } from './queryable';

/** A row as stored: its fields, the number its latest write drew (`users_write_seq`), and when that write's transaction began (epoch ms). */
export interface StoredUserRow {
  row: UserRow;
  writeSeq: bigint;
  writtenAt: number;
}

/** What Postgres holds for a user: its row, and the csv version whose rejection is recorded. */
export interface StoredUser {
  stored: StoredUserRow | null;
  rejectedCsvEtag: string | null;
}

/**
 * What Postgres holds for these users, by user id, in one read: reconcile asks it once, under
 * the users' locks, for the skip rule and the decision alike. Users with neither a row nor a
 * rejection are absent from the map.
 */
export async function selectUserStates(db: Queryable, userIds: readonly string[]): Promise<Map<string, StoredUser>> {
  // A batch of other buckets' events asks about nobody, and must not fail with the database.
  if (userIds.length === 0) return new Map();
  const { rows } = await db.query<UserRow & { hasRow: boolean; writeSeq: string | null; writtenAt: number | null; rejectedCsvEtag: string | null }>(
    `SELECT ids.user_id AS "userId", u.user_id IS NOT NULL AS "hasRow", u.first_name AS "firstName", u.last_name AS "lastName",
            (extract(epoch FROM u.birthdate) * 1000)::bigint AS birthts,
            u.img_path AS "imgPath", u.csv_etag AS "csvEtag", u.write_seq::text AS "writeSeq",
            (extract(epoch FROM u.updated_at) * 1000)::float8 AS "writtenAt", r.etag AS "rejectedCsvEtag"
       FROM unnest($1::text[]) AS ids(user_id)
       LEFT JOIN users u ON u.user_id = ids.user_id
       LEFT JOIN rejected_files r ON r.key = ids.user_id || '.csv'
      WHERE u.user_id IS NOT NULL OR r.key IS NOT NULL`,
    [userIds],
  );
  return new Map(
    rows.map(({ hasRow, writeSeq, writtenAt, rejectedCsvEtag, ...row }) => [
      row.userId,
      { stored: hasRow ? { row, writeSeq: BigInt(writeSeq!), writtenAt: writtenAt! } : null, rejectedCsvEtag },
    ]),
  );
}

/** What a user's stored state has applied, as the skip rule reads it. */
export function appliedStateOf(user: StoredUser): AppliedState {
  const state: AppliedState = { csvEtag: user.stored?.row.csvEtag ?? null, imgPath: user.stored?.row.imgPath ?? null, rejectedCsvEtag: user.rejectedCsvEtag };
  return user.stored ? { ...state, rowWrittenAt: user.stored.writtenAt } : state;
}

/** The same read, as the skip rule reads it (asked before a batch takes its locks). */
export async function selectAppliedStates(db: Queryable, userIds: readonly string[]): Promise<Map<string, AppliedState>> {
  const users = await selectUserStates(db, userIds);
  return new Map([...users].map(([userId, user]) => [userId, appliedStateOf(user)]));
}
