import type { Queryable } from './queryable';

/**
 * The users a rebuild has found in the bucket, kept in a temporary table of its own session so
 * that memory never holds the listing; what Postgres knows beyond them is then streamed.
 */
export async function startSeenUsers(session: Queryable): Promise<void> {
  await session.query('CREATE TEMP TABLE IF NOT EXISTS rebuild_seen (user_id text COLLATE "C" PRIMARY KEY) ON COMMIT PRESERVE ROWS');
  await session.query('TRUNCATE rebuild_seen');
}

export async function addSeenUsers(session: Queryable, userIds: readonly string[]): Promise<void> {
  await session.query('INSERT INTO rebuild_seen SELECT unnest($1::text[]) ON CONFLICT DO NOTHING', [userIds]);
}

export async function dropSeenUsers(session: Queryable): Promise<void> {
  await session.query('DROP TABLE IF EXISTS rebuild_seen');
}
