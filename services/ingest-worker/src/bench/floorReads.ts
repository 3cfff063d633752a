import { findUserImage, isNotFound, mapWithConcurrency, type MinioClient } from '@userpipe/shared';

/** The drain bench's users: `d0000000`, `d0000001`, ... */
export const userId = (i: number) => `d${String(i).padStart(7, '0')}`;

/**
 * What reading the bucket costs the worker's MinIO client, without any of its work: for every
 * user a GET of its csv and, beside it, its picture looked for. 'png': the floor, a HEAD
 * of the png. 'preferred': the calls the worker's reconcile makes once its bucket has shown a jpg
 * and a jpeg (docs/scaling.md): the png, then jpg and jpeg where there is none, so three HEADs
 * for a user without a picture. Returns how many users have a picture.
 */
export async function floorReads(minio: MinioClient, bucket: string, ids: readonly string[], concurrency: number, lookFor: 'png' | 'preferred'): Promise<number> {
  const pngOf = (id: string) =>
    minio.statObject(bucket, `${id}.png`).then(
      () => true,
      (err: unknown) => {
        if (isNotFound(err)) return false;
        throw err;
      },
    );
  const preferredOf = async (id: string) => (await findUserImage(minio, bucket, id)) !== null;
  let found = 0;
  await mapWithConcurrency(ids, concurrency, async (id) => {
    const [, picture] = await Promise.all([
      (async () => {
        for await (const chunk of await minio.getObject(bucket, `${id}.csv`)) void chunk;
      })(),
      lookFor === 'png' ? pngOf(id) : preferredOf(id),
    ]);
    if (picture) found++;
  });
  return found;
}
