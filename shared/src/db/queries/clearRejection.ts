import type { Queryable } from './queryable';

export async function clearRejection(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM rejected_files WHERE key = $1', [key]);
}
