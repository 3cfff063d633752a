import { isSeenOnlyExtension, type ImageExtension } from '../../domain/userKey';
import type { Queryable } from './queryable';

/**
 * Records these extensions as seen in the bucket (those looked for only once seen; others are
 * ignored) and returns every one recorded, these included, in one statement. In the caller's
 * transaction, so a reconcile records what it was told of under the locks it holds
 * (docs/design.md, "Pictures looked for").
 */
export async function recordPictureExtensions(db: Queryable, shown: readonly string[]): Promise<ImageExtension[]> {
  const { rows } = await db.query<{ extension: string }>(
    `WITH added AS (
       INSERT INTO picture_extensions_seen (extension) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING extension
     )
     SELECT extension FROM picture_extensions_seen UNION SELECT extension FROM added`,
    [[...new Set(shown.filter(isSeenOnlyExtension))]],
  );
  return rows.map((r) => r.extension).filter(isSeenOnlyExtension);
}
