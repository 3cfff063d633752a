import type { Queryable } from './queryable';

/** Forgets the rejections of these keys: a good version arrived, or the file is gone. */
export async function clearRejections(db: Queryable, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.query('DELETE FROM rejected_files WHERE key = ANY($1::text[])', [keys]);
}
