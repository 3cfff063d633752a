import type { UserRow } from '../../domain/reconcileDecision';
import type { Queryable } from './queryable';

/** Inserts or replaces these rows in one statement; each write draws a new `write_seq` (the column's default). */
export async function upsertUsers(db: Queryable, rows: readonly UserRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO users (user_id, first_name, last_name, birthdate, img_path, csv_etag)
     SELECT u.user_id, u.first_name, u.last_name, timestamptz 'epoch' + u.birthts * interval '1 millisecond', u.img_path, u.csv_etag
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[])
            AS u(user_id, first_name, last_name, birthts, img_path, csv_etag)
     ON CONFLICT (user_id) DO UPDATE SET
       first_name = excluded.first_name, last_name = excluded.last_name, birthdate = excluded.birthdate,
       img_path = excluded.img_path, csv_etag = excluded.csv_etag, updated_at = now(), write_seq = excluded.write_seq`,
    [
      rows.map((r) => r.userId),
      rows.map((r) => r.firstName),
      rows.map((r) => r.lastName),
      rows.map((r) => r.birthts),
      rows.map((r) => r.imgPath),
      rows.map((r) => r.csvEtag),
    ],
  );
}
