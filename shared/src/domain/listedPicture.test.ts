import { listedPictureHolds } from './listedPicture';

const listingSeq = 100n;

describe('listedPictureHolds: when a picture seen in an earlier listing may be used under the lock', () => {
  it('holds for a user without a row whom no reconcile has left rowless since the listing began', () => {
    expect(listedPictureHolds('src/1.png', { leftRowlessSince: false }, listingSeq)).toBe(true);
    expect(listedPictureHolds(null, { leftRowlessSince: false }, listingSeq)).toBe(true);
  });

  it('does not hold for a user a reconcile left rowless since: it may have seen a newer picture while no usable csv existed, and the csv event still to come would be skipped once the row is written', () => {
    expect(listedPictureHolds('src/1.png', { leftRowlessSince: true }, listingSeq)).toBe(false);
    expect(listedPictureHolds(null, { leftRowlessSince: true }, listingSeq)).toBe(false);
  });

  it('holds for a row written before the listing that points to the listed picture', () => {
    expect(listedPictureHolds('src/1.png', { imgPath: 'src/1.png', writeSeq: 99n }, listingSeq)).toBe(true);
    expect(listedPictureHolds(null, { imgPath: null, writeSeq: 0n }, listingSeq)).toBe(true);
  });

  it('does not hold for a row written after the listing began: a worker may have seen a newer picture', () => {
    expect(listedPictureHolds('src/1.png', { imgPath: 'src/1.png', writeSeq: 101n }, listingSeq)).toBe(false);
  });

  it('does not hold when the row names another picture, or none, or the listing shows none', () => {
    expect(listedPictureHolds('src/1.png', { imgPath: 'src/1.jpg', writeSeq: 1n }, listingSeq)).toBe(false);
    expect(listedPictureHolds('src/1.png', { imgPath: null, writeSeq: 1n }, listingSeq)).toBe(false);
    expect(listedPictureHolds(null, { imgPath: 'src/1.png', writeSeq: 1n }, listingSeq)).toBe(false);
  });
});
