import type { Queryable } from './queryable';

export interface RejectedFile {
  key: string;
  user_id: string;
  etag: string;
  reason: string;
  rejected_at: string;
}

export async function selectRejections(db: Queryable): Promise<RejectedFile[]> {
  const { rows } = await db.query<RejectedFile>('SELECT key, user_id, etag, reason, rejected_at FROM rejected_files ORDER BY key');
  return rows;
}
