import type * as Minio from 'minio';

/**
 * Creates a bucket that is missing. The stack's provisioning (infra/minio/provision, with the root
 * account) creates the source and result buckets and subscribes the source bucket to MinIO's
 * MQTT targets; no service may, so for a service this only confirms the bucket is there (a
 * missing one is reported by the refused creation).
 */
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
