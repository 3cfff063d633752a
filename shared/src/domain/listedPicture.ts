/**
 * Whether a user's picture, as a listing of the bucket made before the user's lock was held
 * showed it, may stand for a read of the bucket under the lock (docs/design.md, "Pictures from
 * the listing"). `listingSeq` was drawn from the row-write sequence before the listing began.
 *
 * - No row: whatever a reconcile did since the listing left no row (it saw no usable csv), so if
 *   the csv is good now, its creation's event is still to come, and that reconcile reads the
 *   bucket afresh. The listed picture can only be overwritten later, never win over a newer one.
 * - A row last written before the listing, pointing to the listed picture: a reconcile since
 *   then that saw another picture would have written the row. A picture changed since then has
 *   its event still to come.
 * - Anything else (the row was written after the listing began, or names another picture): the
 *   listing may be stale, so the bucket is read under the lock.
 */
export function listedPictureHolds(listedImgPath: string | null, stored: { imgPath: string | null; writeSeq: bigint } | null, listingSeq: bigint): boolean {
  if (stored === null) return true;
  return stored.writeSeq < listingSeq && stored.imgPath === listedImgPath;
}
