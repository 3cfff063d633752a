import { bareEtag } from '../storage/userObjects';

/** One record of a MinIO bucket notification: which object, in which bucket, and what happened. */
export interface BucketEventRecord {
  eventName: string;
  bucket: string;
  key: string;
  /** The version a created object has (bare, unquoted); remove events carry none. */
  etag?: string;
  /** When MinIO made the change (its clock, epoch ms), where the record says so. */
  eventTime?: number;
}

export class EventDecodeError extends Error {
  override name = 'EventDecodeError';
}

/**
 * MinIO escapes object keys like Go's url.QueryEscape: a space is `+`, a `+` is `%2B`.
 * So pluses become spaces first, and only then is the rest percent-decoded.
 */
export function decodeObjectKey(escaped: string): string {
  try {
    return decodeURIComponent(escaped.replace(/\+/g, ' '));
  } catch {
    throw new EventDecodeError(`object key "${escaped}" is not validly escaped`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes a notification message body. Only which object changed is taken from it: the
 * reconcile reads the object's state from the bucket itself (events are hints).
 */
export function decodeBucketEvent(body: Buffer | string): BucketEventRecord[] {
  let message: unknown;
  try {
    message = JSON.parse(body.toString());
  } catch {
    throw new EventDecodeError('message body is not JSON');
  }
  if (!isObject(message) || !Array.isArray(message.Records)) {
    throw new EventDecodeError('message has no Records array; not a bucket notification');
  }
  return message.Records.map((record: unknown, i: number) => {
    const s3 = isObject(record) ? record.s3 : undefined;
    const bucket = isObject(s3) && isObject(s3.bucket) ? s3.bucket.name : undefined;
    const key = isObject(s3) && isObject(s3.object) ? s3.object.key : undefined;
    const eventName = isObject(record) ? record.eventName : undefined;
    if (typeof eventName !== 'string' || typeof bucket !== 'string' || typeof key !== 'string') {
      throw new EventDecodeError(`record ${i} lacks eventName, s3.bucket.name or s3.object.key`);
    }
    const etag = isObject(s3) && isObject(s3.object) && typeof s3.object.eTag === 'string' && s3.object.eTag !== '' ? bareEtag(s3.object.eTag) : undefined;
    const time = isObject(record) && typeof record.eventTime === 'string' ? Date.parse(record.eventTime) : NaN;
    return { eventName, bucket, key: decodeObjectKey(key), ...(etag !== undefined && { etag }), ...(!Number.isNaN(time) && { eventTime: time }) };
  });
}
