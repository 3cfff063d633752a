import type { Queryable } from './queryable';

export interface ReplicationLag {
  /** False when the database asked is not a replica at all (a read URL pointing at the primary). */
  replica: boolean;
  /** Seconds its data is behind the primary: 0 once it has replayed all it received; null on a primary. */
  lagSeconds: number | null;
}

/**
 * How far a streaming replica is behind. The time since the last replayed transaction alone
 * would grow while the primary is idle; a replica that has replayed all it received is current.
 */
export async function selectReplicationLag(db: Queryable): Promise<ReplicationLag> {
  const { rows } = await db.query<{ replica: boolean; lag_seconds: number | null }>(
    `SELECT pg_is_in_recovery() AS replica,
            CASE WHEN NOT pg_is_in_recovery() THEN NULL
                 WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                 ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 END AS lag_seconds`,
  );
  return { replica: rows[0]!.replica, lagSeconds: rows[0]!.lag_seconds };
}
