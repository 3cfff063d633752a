import type { Queryable } from './queryable';

export interface OutputExport {
  finished_at: string;
  rows: number;
  bytes: number;
  seconds: number;
}

/** Records the export that just finished as the latest one (migration 004: one row, replaced). */
export async function recordOutputExport(db: Queryable, done: { rows: number; bytes: number; seconds: number }): Promise<void> {
  await db.query(
    `INSERT INTO output_export (finished_at, row_count, bytes, seconds) VALUES (now(), $1, $2, $3)
     ON CONFLICT (singleton) DO UPDATE SET finished_at = excluded.finished_at, row_count = excluded.row_count, bytes = excluded.bytes, seconds = excluded.seconds`,
    [done.rows, done.bytes, done.seconds],
  );
}

/** The latest export of output.csv, or null before the first one. */
export async function selectLastOutputExport(db: Queryable): Promise<OutputExport | null> {
  const { rows } = await db.query<OutputExport>('SELECT finished_at, row_count AS rows, bytes, seconds FROM output_export');
  return rows[0] ?? null;
}
