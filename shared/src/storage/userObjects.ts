import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Client } from 'minio';
import { imageKeys } from '../domain/userKey';

export interface StoredObject {
  key: string;
  etag: string;
  size: number;
}

/** An object downloaded with its ETag from the same response, or only described when too large to hold. */
export interface FetchedObject extends StoredObject {
  /** null when the object is larger than the limit: it was not read. */
  body: Buffer | null;
}

/** ETags come quoted from some S3 calls and bare from others; we keep them bare. */
export const bareEtag = (etag: string) => etag.replace(/^"|"$/g, '');

/** NoSuchKey and friends: the object is not there (any more). */
export function isNotFound(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchObject';
}

async function stat(client: Client, bucket: string, key: string): Promise<StoredObject | null> {
  try {
    const { etag, size } = await client.statObject(bucket, key);
    return { key, etag: bareEtag(etag), size };
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * The user's preferred picture (png, then jpg, then jpeg): a HEAD of each possible key, all at
 * once. Not a listing under `<user_id>.`: MinIO answers a prefix listing by walking the bucket,
 * which took 60 ms in a bucket of 150,000 objects against 1 to 2 ms for a HEAD.
 */
export async function findUserImage(client: Client, bucket: string, userId: string): Promise<StoredObject | null> {
  const found = await Promise.all(imageKeys(userId).map((key) => stat(client, bucket, key)));
  return found.find((o) => o !== null) ?? null;
}

/**
 * Downloads an object of at most `maxBytes` in one GET, whose response also gives the ETag, so
 * body and ETag always belong to the same version. A larger object is described, not read.
 */
export async function fetchSmallObject(client: Client, bucket: string, key: string, maxBytes: number): Promise<FetchedObject | null> {
  let stream: Readable;
  try {
    stream = await client.getObject(bucket, key);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const headers = (stream as IncomingMessage).headers ?? {};
  const etag = bareEtag(String(headers.etag ?? ''));
  const declared = Number(headers['content-length'] ?? NaN);
  if (declared > maxBytes) {
    stream.destroy();
    return { key, etag, size: declared, body: null };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      stream.destroy();
      return { key, etag, size, body: null };
    }
    chunks.push(chunk as Buffer);
  }
  return { key, etag, size, body: Buffer.concat(chunks) };
}
