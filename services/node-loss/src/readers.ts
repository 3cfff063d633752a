import { bareEtag, isNotFound, type MinioClient } from '@userpipe/shared';
import type { UserRowView } from '@userpipe/shared/testing';
import type { BucketItem } from 'minio';
import type pg from 'pg';
import type { AppliedRow } from './caughtUp';
import { nextLink } from './linkHeader';

/**
 * Each side of the comparisons, read for one run's users (their ids start with the run's
 * prefix; other users in the stack, from earlier runs or a demo, are not this run's business).
 */

/** The bucket's keys under the prefix, with their ETags. */
export async function listBucket(minio: MinioClient, bucket: string, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const item of minio.listObjectsV2(bucket, prefix, true) as AsyncIterable<BucketItem>) if (item.name) out.set(item.name, bareEtag(item.etag ?? ''));
  return out;
}

/** Postgres' rows, as the tests compare them (testStack.ts: birthdate as milliseconds). */
export async function postgresUsers(pool: pg.Pool, prefix: string): Promise<UserRowView[]> {
  const { rows } = await pool.query<UserRowView>(
    `SELECT user_id, first_name, last_name, (extract(epoch FROM birthdate) * 1000)::bigint AS birthts, img_path
       FROM users WHERE starts_with(user_id, $1) ORDER BY user_id`,
    [prefix],
  );
  return rows.map((r) => ({ ...r, birthts: Number(r.birthts) }));
}

/** What the cheap catch-up test needs: which csv version and picture each row was built from. */
export async function appliedRows(pool: pg.Pool, prefix: string): Promise<AppliedRow[]> {
  const { rows } = await pool.query<AppliedRow>('SELECT user_id, csv_etag, img_path FROM users WHERE starts_with(user_id, $1)', [prefix]);
  return rows;
}

/**
 * Every user `GET /data` serves, page by page through its `Link: rel="next"` headers (the way a
 * client reads it), kept when under the prefix. Duplicates across pages are kept, so the check
 * sees them.
 */
export async function apiUsers(apiBase: string, prefix: string, pageSize = 1000): Promise<UserRowView[]> {
  const out: UserRowView[] = [];
  let url: string | null = `${apiBase}/data?limit=${pageSize}`;
  for (let pages = 0; url; pages++) {
    if (pages > 100_000) throw new Error('GET /data: more than 100,000 pages; is the next link going round in circles?');
    const res: Response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as (UserRowView & { birthdate?: string })[];
    for (const u of page)
      if (u.user_id.startsWith(prefix)) out.push({ user_id: u.user_id, first_name: u.first_name, last_name: u.last_name, birthts: Number(u.birthts), img_path: u.img_path });
    url = nextLink(res.headers.get('link'), url);
  }
  return out;
}

/** An object's text, or null when it does not exist. */
export async function objectText(minio: MinioClient, bucket: string, key: string): Promise<string | null> {
  try {
    const stream = await minio.getObject(bucket, key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}
