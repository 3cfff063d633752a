import type { Queryable } from './queryable';

export interface RecordedUserRow {
  user_id: string;
  csv_etag: string | null;
  img_path: string | null;
  rejected_etag: string | null;
}

/** What Postgres holds for a batch of users: row (csv version, picture) and rejected csv version, if any. */
export async function selectRecordedUsers(db: Queryable, userIds: string[]): Promise<Map<string, RecordedUserRow>> {
  const { rows } = await db.query<RecordedUserRow>(
    `SELECT ids.user_id, u.csv_etag, u.img_path, r.etag AS rejected_etag
       FROM unnest($1::text[]) AS ids(user_id)
       LEFT JOIN users u ON u.user_id = ids.user_id
       LEFT JOIN rejected_files r ON r.key = ids.user_id || '.csv'
      WHERE u.user_id IS NOT NULL OR r.key IS NOT NULL`,
    [userIds],
  );
  return new Map(rows.map((r) => [r.user_id, r]));
}
