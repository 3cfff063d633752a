/**
 * Whether a user's picture, as a listing of the bucket made before the user's lock was held
 * showed it, may stand for a read of the bucket under the lock (docs/design.md, "Pictures from
 * the listing"). `listingSeq` was drawn from the row-write sequence before the listing began.
 *
 * It may when the row was last written before the listing and points to the listed picture: a
 * reconcile since then that saw another picture would have written the row (a larger number),
 * or deleted it; and a picture changed since then has an event still to come which the skip
 * rule does not drop (it names a picture the row does not point to, or removes the one it does).
 *
 * Not for a user without a row: a reconcile since the listing may have seen the new picture
 * while no usable csv existed, and the csv's event still to come would then be skipped as
 * already applied once the rebuild has written the row from that csv.
 */
export function listedPictureHolds(listedImgPath: string | null, stored: { imgPath: string | null; writeSeq: bigint } | null, listingSeq: bigint): boolean {
  return stored !== null && stored.writeSeq < listingSeq && stored.imgPath === listedImgPath;
}
