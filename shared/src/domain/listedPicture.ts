/** What the table holds for a user under its lock, as far as the listing rule needs it. */
export type StoredPictureState =
  /** The user's row: the picture it names and the number its latest write drew. */
  | { imgPath: string | null; writeSeq: bigint }
  /** No row; `leftRowlessSince` when a reconcile left the user so after the listing began. */
  | { leftRowlessSince: boolean };

/**
 * Whether a user's picture, as a listing of the bucket made before the user's lock was held
 * showed it, may stand for a read of the bucket under the lock (docs/design.md, "Pictures from
 * the listing"). `listingSeq` was drawn from the row-write sequence before the listing began.
 *
 * It may when no reconcile could have seen a newer picture since the listing: the row was last
 * written before the listing and points to the listed picture (a reconcile since then that saw
 * another picture would have written the row, a larger number, or deleted it), or there is no
 * row and no reconcile left the user rowless since the listing (a reconcile that saw a picture
 * while no usable csv existed writes nothing but that). A picture changed since the listing then
 * has an event still to come which the skip rule does not drop: it names a picture the row does
 * not point to, or removes the one it does.
 */
export function listedPictureHolds(listedImgPath: string | null, stored: StoredPictureState, listingSeq: bigint): boolean {
  if ('leftRowlessSince' in stored) return !stored.leftRowlessSince;
  return stored.writeSeq < listingSeq && stored.imgPath === listedImgPath;
}
