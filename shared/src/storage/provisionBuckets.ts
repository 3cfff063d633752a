import * as Minio from 'minio';
import type { MinioSettings } from '../config/settings';

export const BUCKET_EVENTS = [Minio.ObjectCreatedAll, Minio.ObjectRemovedAll];

export function notificationArn(targetId: string): string {
  return Minio.buildARN('minio', 'sqs', '', targetId, 'amqp');
}

export async function ensureBucket(client: Minio.Client, bucket: string): Promise<void> {
  if (await client.bucketExists(bucket)) return;
  try {
    await client.makeBucket(bucket);
  } catch (err) {
    // Another replica created it first.
    const code = (err as { code?: string }).code;
    if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw err;
  }
}

/** The ARNs the source bucket publishes to: the durable target, and the fast one if configured. */
export function notificationArns(s: MinioSettings): string[] {
  return [s.MINIO_NOTIFY_TARGET_ID, s.MINIO_NOTIFY_FAST_TARGET_ID].filter((id) => id !== '').map(notificationArn);
}

/**
 * Creates the source and result buckets and subscribes the source bucket's object-created and
 * object-removed events to MinIO's AMQP targets. setBucketNotification replaces the bucket's
 * whole configuration, so it is only written when it differs from what is wanted.
 */
export async function provisionBuckets(client: Minio.Client, s: MinioSettings): Promise<void> {
  await ensureBucket(client, s.SRC_BUCKET);
  await ensureBucket(client, s.RES_BUCKET);
  const arns = notificationArns(s);
  const current = await client.getBucketNotification(s.SRC_BUCKET);
  const subscribed = (arn: string) =>
    current.QueueConfiguration.some((q) => q.Queue === arn && BUCKET_EVENTS.every((e) => q.Event.includes(e)) && !q.Filter);
  if (arns.every(subscribed) && current.QueueConfiguration.length === arns.length) return;
  const config = new Minio.NotificationConfig();
  for (const arn of arns) {
    const queue = new Minio.QueueConfig(arn);
    for (const event of BUCKET_EVENTS) queue.addEvent(event);
    config.add(queue);
  }
  await client.setBucketNotification(s.SRC_BUCKET, config);
}
