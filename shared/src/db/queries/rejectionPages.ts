import { escapeLiteral } from 'pg';
import { previousPage, type PreviousPage } from './pagePosition';
import type { Queryable } from './queryable';

/**
 * A rejection as the API returns it, built by Postgres as JSON text, so a page and the whole
 * streamed list (COPY) are one format: the API's rejection schema, rejected_at in ISO 8601 UTC.
 */
const REJECTION_JSON = `json_build_object(
  'key', key, 'user_id', user_id, 'etag', etag, 'reason', reason,
  'rejected_at', to_char(rejected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text`;

/** Every rejection (after `afterKey`, when given) in key order, one JSON object per COPY text row: GET /rejections without a limit. */
export function copyRejectionsJsonSql(afterKey?: string): string {
  // COPY takes no parameters: the key goes in as an escaped literal.
  const after = afterKey === undefined ? '' : `WHERE key > ${escapeLiteral(afterKey)}`;
  return `COPY (SELECT ${REJECTION_JSON} FROM rejected_files ${after} ORDER BY key) TO STDOUT`;
}

/** One page in key order, after `afterKey` when given; one row more than `limit` tells whether another page follows. */
export async function selectRejectionsPage(db: Queryable, afterKey: string | undefined, limit: number): Promise<{ rejections: string[]; lastKey?: string; hasMore: boolean }> {
  const after = afterKey === undefined ? '' : 'WHERE key > $1';
  const { rows } = await db.query<{ key: string; json: string }>(
    `SELECT key, ${REJECTION_JSON} AS json FROM rejected_files ${after} ORDER BY key LIMIT ${Math.trunc(limit) + 1}`,
    afterKey === undefined ? [] : [afterKey],
  );
  const page = rows.slice(0, limit);
  return { rejections: page.map((r) => r.json), lastKey: page.at(-1)?.key, hasMore: rows.length > limit };
}

/** Where the page before the one after `cursor` starts. */
export async function selectPreviousRejectionsPage(db: Queryable, cursor: string, limit: number): Promise<PreviousPage> {
  const { rows } = await db.query<{ key: string }>(`SELECT key FROM rejected_files WHERE key <= $1 ORDER BY key DESC LIMIT ${Math.trunc(limit) + 1}`, [cursor]);
  return previousPage(
    rows.map((r) => r.key),
    limit,
  );
}
