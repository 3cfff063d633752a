import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { Client } from 'minio';
import { imageKeys, type ImageExtension } from '../domain/userKey';

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

/**
 * HEAD of one object; null when it is not there. A 404 is an expected answer, not an error:
 * half the users of a drain have no png, and minio-js's statObject turns each 404 into a thrown
 * error whose construction showed in the worker's CPU profile (docs/scaling.md).
 */
async function stat(client: Client, bucket: string, key: string): Promise<StoredObject | null> {
  const response = await client.makeRequestAsync({ method: 'HEAD', bucketName: bucket, objectName: key }, '', [200, 404]);
  response.resume();
  if (response.statusCode === 404) {
    // MinIO names what is missing; a missing bucket is a fault, not a user without a picture.
    if (response.headers['x-minio-error-code'] === 'NoSuchBucket') throw new Error(`bucket ${bucket} does not exist`);
    return null;
  }
  return { key, etag: bareEtag(String(response.headers.etag ?? '')), size: Number(response.headers['content-length']) };
}

/**
 * The user's preferred picture among these extensions (png, then jpg, then jpeg; a reconcile
 * looks for jpg and jpeg only once the bucket has shown one: picturesLookedFor). The first,
 * by far the most common, is asked for first, alone, so a user with one costs a single HEAD;
 * only without it are the others asked for, together (two round trips at most, not three).
 * HEADs, not a listing under `<user_id>.`: MinIO answers a prefix listing by walking the bucket,
 * which took 60 ms in a bucket of 150,000 objects against 1 to 2 ms for a HEAD.
 */
export async function findUserImage(client: Client, bucket: string, userId: string, extensions?: readonly ImageExtension[]): Promise<StoredObject | null> {
  const [first, ...rest] = imageKeys(userId, extensions);
  const preferred = await stat(client, bucket, first!);
  if (preferred) return preferred;
  const others = await Promise.all(rest.map((key) => stat(client, bucket, key)));
  return others.find((o) => o !== null) ?? null;
}

/** The object is still the version the caller already has: a conditional GET answered 304. */
export interface UnchangedObject {
  key: string;
  etag: string;
  unchanged: true;
}

/**
 * Downloads an object of at most `maxBytes` in one GET, whose response also gives the ETag, so
 * body and ETag always belong to the same version. A larger object is described, not read.
 * With `ifNoneMatch` the GET is conditional: when the object is still that version, MinIO
 * answers 304 and nothing is downloaded.
 */
export async function fetchSmallObject(
  client: Client,
  bucket: string,
  key: string,
  maxBytes: number,
  ifNoneMatch?: string,
): Promise<FetchedObject | UnchangedObject | null> {
  let response: IncomingMessage;
  try {
    const headers = ifNoneMatch === undefined ? {} : { 'If-None-Match': `"${ifNoneMatch}"` };
    response = await client.makeRequestAsync({ method: 'GET', bucketName: bucket, objectName: key, headers }, '', [200, 304]);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const stream: Readable = response;
  const etag = bareEtag(String(response.headers.etag ?? ''));
  if (response.statusCode === 304) {
    stream.resume();
    return { key, etag: etag || ifNoneMatch!, unchanged: true };
  }
  const declared = Number(response.headers['content-length'] ?? NaN);
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
