import type { BucketEventRecord } from '../events/bucketEvent';
import { IMAGE_EXTENSIONS, imagePath, isSeenOnlyExtension, parseUserKey, type ImageExtension, type UserKey } from './userKey';

/** What Postgres holds for a user, as far as the skip rule needs it. */
export interface AppliedState {
  /** ETag of the csv version the row was built from; null without a row. */
  csvEtag: string | null;
  /** `<bucket>/<image key>` the row points to; null without a row or without a picture. */
  imgPath: string | null;
  /** ETag of the csv version whose rejection is recorded; null when none is. */
  rejectedCsvEtag: string | null;
  /**
   * When the row was last written (epoch ms: the start of the transaction that wrote it, which
   * read the bucket after that), where known: what it holds was read after every change made
   * before then.
   */
  rowWrittenAt?: number;
}

export const NOTHING_APPLIED: AppliedState = { csvEtag: null, imgPath: null, rejectedCsvEtag: null };

/** A user as a listing of the bucket shows it: its csv version and its preferred picture's key. */
export interface ListedUser {
  userId: string;
  csvEtag: string | null;
  /** The preferred picture's key, as reconcile would choose it. */
  imageKey: string | null;
}

/** Whether this csv version is what the database holds: the row's (with no newer rejection, which reconciling would clear), or the rejected one. */
function csvVersionApplied(etag: string, state: AppliedState): boolean {
  return (etag === state.csvEtag && state.rejectedCsvEtag === null) || etag === state.rejectedCsvEtag;
}

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
  const change = changeOf(event, srcBucket);
  if (!change) return false;
  const { key, created, removed } = change;
  if (key.kind === 'csv') {
    if (created) {
      return event.etag !== undefined && csvVersionApplied(event.etag, state);
    }
    return removed && state.csvEtag === null && state.rejectedCsvEtag === null;
  }
  const path = imagePath(srcBucket, event.key);
  if (created) return state.imgPath === path;
  return removed && state.imgPath !== path;
}

/**
 * The same rule for a user as the bucket's listing shows it (the rebuild's default mode): skipped
 * when its csv version is applied and, if it has a row, the row points to the listed picture. A
 * user without a csv is never skipped: reconciling deletes what is left of it.
 */
export function listingApplied(listed: ListedUser, srcBucket: string, state: AppliedState): boolean {
  if (listed.csvEtag === null || !csvVersionApplied(listed.csvEtag, state)) return false;
  const imgPath = listed.imageKey === null ? null : imagePath(srcBucket, listed.imageKey);
  return state.csvEtag === null || state.imgPath === imgPath;
}

/**
 * The extension a created picture shows when reconcile looks for it only once the bucket has
 * shown one (a jpg or jpeg: docs/design.md, "Pictures looked for"); null for anything else.
 * The reconcile of its user records it as seen, under the user's lock. Skipping such an event
 * loses nothing: the skip rule drops it only when the row points to that very picture, which
 * a reconcile found by looking for it, so its extension was recorded then.
 */
export function seenOnlyPictureOf(event: BucketEventRecord, srcBucket: string): ImageExtension | null {
  const change = changeOf(event, srcBucket);
  if (!change || !change.created || change.key.kind !== 'image') return null;
  return isSeenOnlyExtension(change.key.extension) ? change.key.extension : null;
}

/**
 * Whether a reconcile that has just run left this event's change out: the bucket it read did
 * not show what the event announced (docs/design.md, "Asked again"). Either the change was
 * superseded before the read, and the newer change's own event follows, or the read was stale:
 * a MinIO node rejoining its cluster can answer with a key's older state for a while, and no
 * event would come to correct the row. The worker asks such an event again, a few times.
 *
 * - a created csv, when its version (by ETag) is neither the row's nor the recorded rejection;
 * - a removed csv, when a row or rejection of the user is still there;
 * - a created picture, when the user has a row that points to no picture, or to one less
 *   preferred (png, then jpg, then jpeg); a user without a row (no csv yet) misses nothing;
 * - a removed picture, when the row still points to it.
 * An event it cannot judge (a created csv without ETag, another bucket, no user file) misses
 * nothing.
 */
export function eventMissed(event: BucketEventRecord, srcBucket: string, after: AppliedState): boolean {
  const change = changeOf(event, srcBucket);
  if (!change) return false;
  const { key, created, removed } = change;
  if (key.kind === 'csv') {
    if (created) return event.etag !== undefined && !csvVersionApplied(event.etag, after);
    return removed && (after.csvEtag !== null || after.rejectedCsvEtag !== null);
  }
  const path = imagePath(srcBucket, event.key);
  if (removed) return after.imgPath === path;
  if (!created || after.csvEtag === null) return false;
  return after.imgPath === null || preference(after.imgPath) > preference(path);
}

/**
 * Whether a reconcile changed a user's row in a way none of the events it handled announced
 * (docs/design.md, "Asked again"): the row removed, its csv read absent, without a removal of
 * the csv among them; its csv version replaced without a csv event; its picture lost (dropped
 * or replaced by a less preferred one) without a removal of it, or a picture gained (where
 * there was none, or a more preferred one) without its creation. This is the other thing a
 * stale read does: each event's own change may be in place (eventMissed says nothing) while a
 * key no event announced reads older than it is, and nothing would correct the row before the
 * nightly rebuild. The worker reads such a user again a while. In a healthy bucket it happens
 * only when a change's own event comes later (or is lost): a few extra reads. A row created
 * is not judged: a user's picture event often comes before its csv's.
 *
 * An event older than the row's last write announces nothing to it: the row was read after
 * that change was made, so the change was then already in place, or undone since. Such an event
 * is a late copy or one asked again; a read now showing its change (a csv's removal, most
 * often) is a stale one, or a later change's whose own event will come. A node-loss run lost
 * two rows so: a late removal of a csv already created again was read stale, and the row went.
 * (MinIO's clock against Postgres': a skew only moves where this starts to apply.)
 */
export function changedUnannounced(before: AppliedState, after: AppliedState, events: readonly BucketEventRecord[], srcBucket: string): boolean {
  if (before.csvEtag === null) return false;
  const olderThanRow = (event: BucketEventRecord) => event.eventTime !== undefined && before.rowWrittenAt !== undefined && event.eventTime < before.rowWrittenAt;
  const announced = (kind: 'created' | 'removed', what: string) =>
    events.some((event) => {
      if (olderThanRow(event)) return false;
      const change = changeOf(event, srcBucket);
      return change !== null && change[kind] && (change.key.kind === 'csv' ? 'csv' : imagePath(srcBucket, event.key)) === what;
    });
  if (after.csvEtag === null) return !announced('removed', 'csv');
  if (after.csvEtag !== before.csvEtag && !announced('created', 'csv')) return true;
  const [was, now] = [before.imgPath, after.imgPath];
  if (was === now) return false;
  const lost = was !== null && (now === null || preference(now) > preference(was));
  const gained = now !== null && (was === null || preference(now) < preference(was));
  return (lost && !announced('removed', was)) || (gained && !announced('created', now));
}

/** A picture path's rank among the extensions, 0 the most preferred. */
function preference(path: string): number {
  return IMAGE_EXTENSIONS.findIndex((ext) => path.endsWith(`.${ext}`));
}

/** The user file an event of the source bucket changed, and how; null for anything else. */
function changeOf(event: BucketEventRecord, srcBucket: string): { key: UserKey; created: boolean; removed: boolean } | null {
  const key = parseUserKey(event.key);
  if (!key || event.bucket !== srcBucket) return null;
  return { key, created: event.eventName.startsWith('s3:ObjectCreated:'), removed: event.eventName.startsWith('s3:ObjectRemoved:') };
}
