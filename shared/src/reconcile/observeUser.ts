import type { CsvObservation, BucketObservation, UserRow } from '../domain/reconcileDecision';
import { parseUserFile } from '../domain/userFile';
import { csvKey, imagePath, type ImageExtension } from '../domain/userKey';
import { fetchSmallObject, findUserImage, type FetchedObject } from '../storage/userObjects';
import type { ReconcileDeps } from './reconcileDeps';

export interface UserObservation {
  seen: BucketObservation;
  /** Whether a csv body was downloaded. */
  csvRead: boolean;
}

function observeCsv(csv: FetchedObject, limit: number, now: Date): CsvObservation {
  const { key, etag } = csv;
  if (csv.body === null) return { state: 'bad', key, etag, reason: `file is ${csv.size} bytes; the limit is ${limit}` };
  const parsed = parseUserFile(csv.body, { maxBytes: limit, now });
  return parsed.ok ? { state: 'good', key, etag, user: parsed.user } : { state: 'bad', key, etag, reason: parsed.reason };
}

async function preferredImgPath(deps: ReconcileDeps, userId: string, extensions: readonly ImageExtension[]): Promise<string | null> {
  const image = await findUserImage(deps.minio, deps.srcBucket, userId, extensions);
  return image && imagePath(deps.srcBucket, image.key);
}

/**
 * Reads what the bucket holds for one user (its csv and its preferred picture), with as few
 * calls as it can: the csv is fetched conditionally on the version the row was built from, so
 * an unchanged csv is not downloaded (unless `reread`), and pictures are looked for in order
 * of preference, of the `extensions` looked for (picturesLookedFor), unless the caller knows the
 * picture already (`knownImgPath`, from a listing whose picture holds:
 * shared/src/domain/listedPicture.ts).
 */
export async function observeUser(
  deps: ReconcileDeps,
  userId: string,
  current: UserRow | null,
  opts: { reread: boolean; now: Date; knownImgPath?: string | null; extensions: readonly ImageExtension[] },
): Promise<UserObservation> {
  const known = opts.reread || current === null ? undefined : current.csvEtag;
  const [fetched, imgPath] = await Promise.all([
    fetchSmallObject(deps.minio, deps.srcBucket, csvKey(userId), deps.maxFileBytes, known),
    opts.knownImgPath !== undefined ? opts.knownImgPath : preferredImgPath(deps, userId, opts.extensions),
  ]);
  if (fetched === null) return { seen: { csv: { state: 'absent' }, imgPath }, csvRead: false };
  if ('unchanged' in fetched) return { seen: { csv: { state: 'same', key: fetched.key, etag: fetched.etag }, imgPath }, csvRead: false };
  return { seen: { csv: observeCsv(fetched, deps.maxFileBytes, opts.now), imgPath }, csvRead: fetched.body !== null };
}
