import Papa from 'papaparse';
import type { MinioClient } from '../storage/createMinioClient';
import { mapWithConcurrency } from '../util/mapWithConcurrency';
import type { TestStack, UserRowView } from './testStack';

/** The row to expect for a user whose csv is unusable (its last good row), if any. */
export type KeepLastGood = (userId: string) => UserRowView | undefined;

/**
 * What Postgres must hold for the files now in the stack's source bucket, computed straight
 * from the bucket with none of the pipeline's code: every top-level `<id>.csv` whose header
 * names first_name, last_name, birthts and whose one row is usable, with its picture.
 * `keep` supplies the row to expect for a user whose csv is unusable (its last good row).
 */
export async function usersFromBucket(stack: TestStack, keep: KeepLastGood = () => undefined): Promise<UserRowView[]> {
  return usersInBucket(stack.minio, stack.srcBucket, { keep });
}

/**
 * The same oracle for any bucket a client can read (the node-loss test runs it against a
 * cluster, not a TestStack): only the users whose ids start with `prefix` when one is given
 * (their pictures share it), csvs read `concurrency` at a time.
 */
export async function usersInBucket(
  minio: MinioClient,
  bucket: string,
  { prefix = '', keep = () => undefined, concurrency = 1 }: { prefix?: string; keep?: KeepLastGood; concurrency?: number } = {},
): Promise<UserRowView[]> {
  const keys = new Set<string>();
  for await (const item of minio.listObjectsV2(bucket, prefix, false)) if (item.name) keys.add(item.name);
  const csvs = [...keys].flatMap((key) => {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\.csv$/.exec(key);
    return match ? [{ key, userId: match[1]! }] : [];
  });
  const found = await mapWithConcurrency(csvs, concurrency, async ({ key, userId }): Promise<UserRowView | undefined> => {
    const image = ['png', 'jpg', 'jpeg'].map((ext) => `${userId}.${ext}`).find((k) => keys.has(k));
    const imgPath = image ? `${bucket}/${image}` : null;
    const stream = await minio.getObject(bucket, key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const parsed = Papa.parse<Record<string, string>>(Buffer.concat(chunks).toString('utf8'), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim().toLowerCase() });
    const record = parsed.data.length === 1 ? parsed.data[0] : undefined;
    const birthts = Number(record?.birthts);
    if (record && record.first_name?.trim() && record.last_name?.trim() && /^-?\d+$/.test(record.birthts?.trim() ?? '') && birthts <= Date.now()) {
      return { user_id: userId, first_name: record.first_name.trim(), last_name: record.last_name.trim(), birthts, img_path: imgPath };
    }
    const kept = keep(userId);
    return kept ? { ...kept, img_path: imgPath } : undefined;
  });
  const rows = found.filter((row): row is UserRowView => row !== undefined);
  return rows.sort((a, b) => Buffer.compare(Buffer.from(a.user_id), Buffer.from(b.user_id)));
}
