import type pg from 'pg';
import QueryStream from 'pg-query-stream';

/** Users Postgres knows (rows or rejections) that the rebuild did not find in the bucket, streamed: their files are gone. */
export function streamUnseenUsers(session: pg.ClientBase): AsyncIterable<{ user_id: string }> {
  return session.query(
    new QueryStream(
      `SELECT user_id FROM users u WHERE NOT EXISTS (SELECT 1 FROM rebuild_seen s WHERE s.user_id = u.user_id)
       UNION
       SELECT user_id FROM rejected_files r WHERE NOT EXISTS (SELECT 1 FROM rebuild_seen s WHERE s.user_id = r.user_id)`,
      [],
      { batchSize: 1000 },
    ),
  );
}
