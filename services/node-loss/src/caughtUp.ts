/**
 * A cheap test of "Postgres has caught up with the bucket", run every second while waiting for
 * convergence: one listing and one query, no download. Every csv of the storm is valid, so each
 * listed `<id>.csv` must have a row built from that very version (its ETag) naming the user's
 * preferred picture, and no other user of the run may have a row. The full oracle (which reads
 * every csv) runs only once this holds.
 */

export interface AppliedRow {
  user_id: string;
  csv_etag: string;
  img_path: string | null;
}

const PICTURE_PREFERENCE = ['png', 'jpg', 'jpeg'] as const;

/** What each user's row must say, from a listing (key → ETag) of the source bucket. */
export function expectedFromListing(listing: ReadonlyMap<string, string>, bucket: string): Map<string, { csvEtag: string; imgPath: string | null }> {
  const out = new Map<string, { csvEtag: string; imgPath: string | null }>();
  for (const [key, etag] of listing) {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\.csv$/.exec(key);
    if (!match) continue;
    const userId = match[1]!;
    const picture = PICTURE_PREFERENCE.map((ext) => `${userId}.${ext}`).find((k) => listing.has(k));
    out.set(userId, { csvEtag: etag, imgPath: picture ? `${bucket}/${picture}` : null });
  }
  return out;
}

/** Users whose row is not yet what the listing says (missing, stale, extra), sorted. */
export function lagging(listing: ReadonlyMap<string, string>, bucket: string, rows: readonly AppliedRow[]): string[] {
  const expected = expectedFromListing(listing, bucket);
  const behind = new Set<string>();
  const seen = new Set<string>();
  for (const row of rows) {
    seen.add(row.user_id);
    const want = expected.get(row.user_id);
    if (!want || want.csvEtag !== row.csv_etag || want.imgPath !== row.img_path) behind.add(row.user_id);
  }
  for (const userId of expected.keys()) if (!seen.has(userId)) behind.add(userId);
  return [...behind].sort();
}
