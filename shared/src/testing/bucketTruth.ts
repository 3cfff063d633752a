import Papa from 'papaparse';
import type { TestStack, UserRowView } from './testStack';

/**
 * What Postgres must hold for the files now in the stack's source bucket, computed straight
 * from the bucket with none of the pipeline's code: every top-level `<id>.csv` whose header
 * names first_name, last_name, birthts and whose one row is usable, with its picture.
 * `keep` supplies the row to expect for a user whose csv is unusable (its last good row).
 */
export async function usersFromBucket(stack: TestStack, keep: (userId: string) => UserRowView | undefined = () => undefined): Promise<UserRowView[]> {
  const keys: string[] = [];
  for await (const item of stack.minio.listObjectsV2(stack.srcBucket, '', false)) if (item.name) keys.push(item.name);
  const rows: UserRowView[] = [];
  for (const key of keys) {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\.csv$/.exec(key);
    if (!match) continue;
    const userId = match[1]!;
    const image = ['png', 'jpg', 'jpeg'].map((ext) => `${userId}.${ext}`).find((k) => keys.includes(k));
    const imgPath = image ? `${stack.srcBucket}/${image}` : null;
    const stream = await stack.minio.getObject(stack.srcBucket, key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const parsed = Papa.parse<Record<string, string>>(Buffer.concat(chunks).toString('utf8'), { header: true, skipEmptyLines: true, transformHeader: (h) => h.trim().toLowerCase() });
    const record = parsed.data.length === 1 ? parsed.data[0] : undefined;
    const birthts = Number(record?.birthts);
    if (record && record.first_name?.trim() && record.last_name?.trim() && /^-?\d+$/.test(record.birthts?.trim() ?? '') && birthts <= Date.now()) {
      rows.push({ user_id: userId, first_name: record.first_name.trim(), last_name: record.last_name.trim(), birthts, img_path: imgPath });
    } else {
      const kept = keep(userId);
      if (kept) rows.push({ ...kept, img_path: imgPath });
    }
  }
  return rows.sort((a, b) => Buffer.compare(Buffer.from(a.user_id), Buffer.from(b.user_id)));
}
