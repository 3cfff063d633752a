import type { UserRow } from '../../domain/reconcileDecision';
import type { Queryable } from './queryable';

export async function upsertUser(db: Queryable, row: UserRow): Promise<void> {
  await db.query(
    `INSERT INTO users (user_id, first_name, last_name, birthdate, img_path, csv_etag)
     VALUES ($1, $2, $3, timestamptz 'epoch' + $4::bigint * interval '1 millisecond', $5, $6)
     ON CONFLICT (user_id) DO UPDATE SET
       first_name = excluded.first_name, last_name = excluded.last_name, birthdate = excluded.birthdate,
       img_path = excluded.img_path, csv_etag = excluded.csv_etag, updated_at = now()`,
    [row.userId, row.firstName, row.lastName, row.birthts, row.imgPath, row.csvEtag],
  );
}
