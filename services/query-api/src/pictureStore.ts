import type { IncomingMessage } from 'node:http';
import { bareEtag, imageKeys, imagePath, isNotFound, type MinioClient } from '@userpipe/shared';

/** What a conditional GET of a picture gave: the body, or only that the client's copy is current. */
export type PictureRead =
  | { status: 200; etag: string; contentType: string; contentLength: number | undefined; lastModified: string | undefined; body: IncomingMessage }
  | { status: 304; etag: string };

/** By extension, never as stored: whoever uploaded the picture chose its stored Content-Type, and text/html there would be a page of theirs on our origin. */
const CONTENT_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' };

/**
 * The key of a user's picture in `bucket`, from the img_path of its row, or null when the row
 * names anything else: only the keys a user's picture may have are ever read.
 */
export function pictureKey(bucket: string, userId: string, imgPath: string): string | null {
  return imageKeys(userId).find((key) => imagePath(bucket, key) === imgPath) ?? null;
}

/**
 * The entity tags of an If-None-Match header, bare (weak or strong alike, as RFC 9110 compares
 * them for GET), or '*' for any.
 */
export function parseIfNoneMatch(header: string | undefined): string[] | '*' {
  if (header === undefined) return [];
  if (header.trim() === '*') return '*';
  return [...header.matchAll(/(?:W\/)?"([^"]*)"/g)].map((m) => m[1]!);
}

/**
 * One GET of the picture (with `If-None-Match` when the client has exactly one version: MinIO
 * answers 304 and sends nothing). A client holding several versions, or '*', is compared here.
 * Null when the object is not there.
 */
export async function readPicture(minio: MinioClient, bucket: string, key: string, ifNoneMatch: string[] | '*'): Promise<PictureRead | null> {
  const forwarded = Array.isArray(ifNoneMatch) && ifNoneMatch.length === 1 ? { 'If-None-Match': `"${ifNoneMatch[0]}"` } : undefined;
  let response: IncomingMessage;
  try {
    response = await minio.makeRequestAsync({ method: 'GET', bucketName: bucket, objectName: key, headers: forwarded ?? {} }, '', [200, 304]);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  const etag = bareEtag(String(response.headers.etag ?? ''));
  if (response.statusCode === 304 || ifNoneMatch === '*' || ifNoneMatch.includes(etag)) {
    // Read to the end (nothing, after a 304; a small picture otherwise) so the connection is reused.
    response.resume();
    return { status: 304, etag };
  }
  const length = Number(response.headers['content-length']);
  return {
    status: 200,
    etag,
    contentType: CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream',
    contentLength: Number.isSafeInteger(length) ? length : undefined,
    lastModified: response.headers['last-modified'],
    body: response,
  };
}
