import type { Readable } from 'node:stream';
import type { Client } from 'minio';
import { csvKey, imageKeys, userKeyPrefix } from '../domain/userKey';

export interface StoredObject {
  key: string;
  etag: string;
  size: number;
}

/** What the bucket holds for one user right now. */
export interface UserObjects {
  csv: StoredObject | null;
  /** The preferred picture when there are several (png, then jpg, then jpeg). */
  image: StoredObject | null;
}

/** ETags come quoted from some S3 calls and bare from others; we keep them bare. */
export const bareEtag = (etag: string) => etag.replace(/^"|"$/g, '');

/**
 * One listing under `<user_id>.` finds the csv and every picture in a single round trip
 * (instead of a HEAD per possible key); keys of other users sharing the prefix are dropped.
 */
export async function listUserObjects(client: Client, bucket: string, userId: string): Promise<UserObjects> {
  const found = new Map<string, StoredObject>();
  for await (const item of client.listObjectsV2(bucket, userKeyPrefix(userId), false)) {
    if (item.name) found.set(item.name, { key: item.name, etag: bareEtag(item.etag), size: item.size });
  }
  const image = imageKeys(userId).map((k) => found.get(k)).find((o) => o !== undefined) ?? null;
  return { csv: found.get(csvKey(userId)) ?? null, image };
}

export class ObjectTooLargeError extends Error {
  override name = 'ObjectTooLargeError';
}

/** Downloads an object into memory, refusing to hold more than maxBytes of it. */
export async function readObject(client: Client, bucket: string, key: string, maxBytes: number): Promise<Buffer> {
  const stream: Readable = await client.getObject(bucket, key);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      throw new ObjectTooLargeError(`${key} grew past ${maxBytes} bytes while being read`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** NoSuchKey and friends: the object went away between listing and reading. */
export function isNotFound(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchObject';
}
