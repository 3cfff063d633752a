import type { BucketEventRecord } from '../events/bucketEvent';
import { imagePath, parseUserKey } from './userKey';

/** What Postgres holds for a user, as far as the skip rule needs it. */
export interface AppliedState {
  /** ETag of the csv version the row was built from; null without a row. */
  csvEtag: string | null;
  /** `<bucket>/<image key>` the row points to; null without a row or without a picture. */
  imgPath: string | null;
  /** ETag of the csv version whose rejection is recorded; null when none is. */
  rejectedCsvEtag: string | null;
}

export const NOTHING_APPLIED: AppliedState = { csvEtag: null, imgPath: null, rejectedCsvEtag: null };

/**
 * Whether an event announces nothing the database does not already reflect, so that it can be
 * dropped without reading the bucket (docs/design.md, "Skip what is already applied"):
 *
 * - a created csv whose ETag is the one the row was built from (and no newer rejection is
 *   recorded, which reconciling it would clear), or the ETag of its recorded rejection;
 * - a created picture the row already points to;
 * - a removal of a key the row neither points to nor was built from.
 *
 * It is safe because every later change of the bucket sends its own event: skipping an event
 * only ever skips work whose result is already in place. Anything else (an event without an
 * ETag, a kind we do not know) is reconciled from the bucket as usual.
 */
export function alreadyApplied(event: BucketEventRecord, srcBucket: string, state: AppliedState): boolean {
  const key = parseUserKey(event.key);
  if (!key || event.bucket !== srcBucket) return false;
  const created = event.eventName.startsWith('s3:ObjectCreated:');
  const removed = event.eventName.startsWith('s3:ObjectRemoved:');
  if (key.kind === 'csv') {
    if (created) {
      if (event.etag === undefined) return false;
      return (event.etag === state.csvEtag && state.rejectedCsvEtag === null) || event.etag === state.rejectedCsvEtag;
    }
    return removed && state.csvEtag === null && state.rejectedCsvEtag === null;
  }
  const path = imagePath(srcBucket, event.key);
  if (created) return state.imgPath === path;
  return removed && state.imgPath !== path;
}
