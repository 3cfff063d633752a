import type { MinioClient } from '../storage/createMinioClient';

/** A listing entry with versions asked for; minio-js 8 gives these fields but does not type them. */
interface VersionEntry {
  name?: string;
  versionId?: string;
}

/**
 * Deletes every version and every delete marker in a bucket, so that it can be removed: in a
 * versioned bucket (the source bucket is one, infra/minio/provision) a plain delete only adds a
 * delete marker, and a bucket that holds any version or marker is not empty. Works on an
 * unversioned bucket too, whose objects are the version `null`. Throws when MinIO refuses a
 * deletion, rather than leaving a bucket behind unnoticed. Returns how many it deleted.
 * With a prefix, only the keys that start with it: what a benchmark left in a bucket it shares.
 */
export async function deleteEveryVersion(minio: MinioClient, bucket: string, prefix = ''): Promise<number> {
  const entries: { name: string; versionId: string }[] = [];
  const listing = minio.listObjects(bucket, prefix, true, { IncludeVersion: true }) as AsyncIterable<VersionEntry>;
  for await (const item of listing) if (item.name) entries.push({ name: item.name, versionId: item.versionId ?? 'null' });
  if (entries.length === 0) return 0;
  // minio-js sends DeleteObjects requests of 1,000 each, quiet: what comes back are the refusals
  // (MinIO's <Error> elements: Code, Message, Key, VersionId), whatever its types say.
  const failed = (await minio.removeObjects(bucket, entries)).filter((r) => r);
  if (failed.length) throw new Error(`deleting versions in ${bucket}: ${failed.length} refused, the first ${JSON.stringify(failed[0])}`);
  return entries.length;
}
