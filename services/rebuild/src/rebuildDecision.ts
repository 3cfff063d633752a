import { imagePath } from '@userpipe/shared';
import type { ListedUser } from './groupUserKeys';

/** What Postgres recorded for a user: the csv version its row was built from, its picture, and a rejected csv version. */
export interface RecordedUser {
  csvEtag: string | null;
  imgPath: string | null;
  rejectedEtag: string | null;
}

/**
 * Whether a user can be skipped without reconciling: in the default mode, when the listing
 * shows the csv version the row was built from (or the version already rejected) and the
 * picture Postgres recorded. A skipped user costs no lock and no read of the bucket; a full
 * rebuild skips nobody.
 */
export function canSkip(listed: ListedUser, recorded: RecordedUser | undefined, srcBucket: string, full: boolean): boolean {
  if (full || !recorded || listed.csvEtag === null) return false;
  const imgPath = listed.imageKey === null ? null : imagePath(srcBucket, listed.imageKey);
  if (recorded.rejectedEtag === listed.csvEtag) return recorded.csvEtag === null || recorded.imgPath === imgPath;
  return recorded.csvEtag === listed.csvEtag && recorded.imgPath === imgPath;
}
