import type { BucketEventRecord } from '../events/bucketEvent';
import { alreadyApplied, changedUnannounced, eventMissed, listingApplied, NOTHING_APPLIED, seenOnlyPictureOf, type AppliedState } from './alreadyApplied';

const created = (key: string, etag?: string): BucketEventRecord => ({ eventName: 's3:ObjectCreated:Put', bucket: 'src', key, ...(etag && { etag }) });
const removed = (key: string): BucketEventRecord => ({ eventName: 's3:ObjectRemoved:Delete', bucket: 'src', key });
const row = (state: Partial<AppliedState>): AppliedState => ({ ...NOTHING_APPLIED, csvEtag: 'A', ...state });

/** Applies a sequence of events the way the worker does, against a state that reconciling changes. */
function skips(events: BucketEventRecord[], state: AppliedState): boolean[] {
  return events.map((e) => alreadyApplied(e, 'src', state));
}

describe('alreadyApplied: an event is dropped only when the database already reflects it', () => {
  describe('a created csv', () => {
    it('is skipped when the row was built from that very version', () => {
      expect(alreadyApplied(created('1.csv', 'A'), 'src', row({}))).toBe(true);
    });
    it('is skipped when that version is the one recorded as rejected', () => {
      expect(alreadyApplied(created('1.csv', 'B'), 'src', row({ rejectedCsvEtag: 'B' }))).toBe(true);
    });
    it('is reconciled when its version differs from the row', () => {
      expect(alreadyApplied(created('1.csv', 'B'), 'src', row({}))).toBe(false);
    });
    it('is reconciled when the user has no row yet', () => {
      expect(alreadyApplied(created('1.csv', 'A'), 'src', NOTHING_APPLIED)).toBe(false);
    });
    it("is reconciled when it is the row's version but a later, bad version is recorded (reconciling clears it)", () => {
      expect(alreadyApplied(created('1.csv', 'A'), 'src', row({ rejectedCsvEtag: 'B' }))).toBe(false);
    });
    it('is reconciled when the event carries no ETag', () => {
      expect(alreadyApplied(created('1.csv'), 'src', row({}))).toBe(false);
    });
  });

  describe('a created picture', () => {
    it('is skipped when the row points to it', () => {
      expect(alreadyApplied(created('1.png', 'P'), 'src', row({ imgPath: 'src/1.png' }))).toBe(true);
    });
    it('is reconciled when the row points elsewhere or nowhere', () => {
      expect(alreadyApplied(created('1.png', 'P'), 'src', row({ imgPath: 'src/1.jpg' }))).toBe(false);
      expect(alreadyApplied(created('1.png', 'P'), 'src', row({}))).toBe(false);
      expect(alreadyApplied(created('1.png', 'P'), 'src', NOTHING_APPLIED)).toBe(false);
    });
  });

  describe('a removal', () => {
    it('of a picture the row does not point to is skipped', () => {
      expect(alreadyApplied(removed('1.jpg'), 'src', row({ imgPath: 'src/1.png' }))).toBe(true);
      expect(alreadyApplied(removed('1.jpg'), 'src', NOTHING_APPLIED)).toBe(true);
    });
    it('of the picture the row points to is reconciled', () => {
      expect(alreadyApplied(removed('1.png'), 'src', row({ imgPath: 'src/1.png' }))).toBe(false);
    });
    it('of a csv is skipped only when there is neither a row nor a rejection', () => {
      expect(alreadyApplied(removed('1.csv'), 'src', NOTHING_APPLIED)).toBe(true);
      expect(alreadyApplied(removed('1.csv'), 'src', row({}))).toBe(false);
      expect(alreadyApplied(removed('1.csv'), 'src', { ...NOTHING_APPLIED, rejectedCsvEtag: 'B' })).toBe(false);
    });
  });

  it('treats a delete marker (a delete in the versioned source bucket) as any removal', () => {
    const marker = (key: string): BucketEventRecord => ({ ...removed(key), eventName: 's3:ObjectRemoved:DeleteMarkerCreated' });
    expect(alreadyApplied(marker('1.csv'), 'src', row({}))).toBe(false);
    expect(alreadyApplied(marker('1.csv'), 'src', NOTHING_APPLIED)).toBe(true);
    expect(alreadyApplied(marker('1.png'), 'src', row({ imgPath: 'src/1.png' }))).toBe(false);
    expect(alreadyApplied(marker('1.jpg'), 'src', row({ imgPath: 'src/1.png' }))).toBe(true);
  });

  it('never skips what it does not understand: another bucket, a key that is no user file, another kind of event', () => {
    expect(alreadyApplied({ ...created('1.csv', 'A'), bucket: 'other' }, 'src', row({}))).toBe(false);
    expect(alreadyApplied(created('notes.txt', 'A'), 'src', row({}))).toBe(false);
    expect(alreadyApplied({ eventName: 's3:ObjectAccessed:Get', bucket: 'src', key: '1.jpg' }, 'src', row({}))).toBe(false);
  });

  describe('reorderings that must still reconcile', () => {
    it('a late copy of an older version is reconciled (and finds the newer one in the bucket)', () => {
      // Row built from B; the event for the older A arrives late.
      expect(skips([created('1.csv', 'A')], row({ csvEtag: 'B' }))).toEqual([false]);
    });
    it('delete then re-create with the same bytes: the delete removed the row, so the create is reconciled', () => {
      expect(skips([removed('1.csv')], row({}))).toEqual([false]);
      expect(skips([created('1.csv', 'A')], NOTHING_APPLIED)).toEqual([false]);
    });
    it('the same bytes uploaded again are skipped: the row already holds them', () => {
      expect(skips([created('1.csv', 'A'), created('1.csv', 'A')], row({}))).toEqual([true, true]);
    });
    it('a re-create seen before its delete is skipped, and the delete is reconciled (and finds the csv)', () => {
      expect(skips([created('1.csv', 'A'), removed('1.csv')], row({}))).toEqual([true, false]);
    });
  });
});

describe('listingApplied: the same rule for a user as the listing shows it (the default rebuild)', () => {
  const listed = { userId: '1', csvEtag: 'A', imageKey: '1.png' };
  const state = row({ imgPath: 'src/1.png' });

  it('skips a user whose csv version and picture are the ones applied', () => {
    expect(listingApplied(listed, 'src', state)).toBe(true);
  });

  it.each([
    ['a changed csv', { ...listed, csvEtag: 'B' }, state],
    ['a new picture', listed, row({})],
    ['a removed picture', { ...listed, imageKey: null }, state],
    ['a different picture', { ...listed, imageKey: '1.jpg' }, state],
    ['a user the database does not know', listed, NOTHING_APPLIED],
    ['a user without csv (reconciling deletes it)', { ...listed, csvEtag: null }, state],
    ["the row's version while a later, bad version is recorded (reconciling clears it)", listed, row({ imgPath: 'src/1.png', rejectedCsvEtag: 'B' })],
  ])('reconciles %s', (_what, l, s) => {
    expect(listingApplied(l, 'src', s)).toBe(false);
  });

  it('skips a csv already rejected in this version, whatever its picture when there is no row', () => {
    expect(listingApplied({ ...listed, csvEtag: 'bad' }, 'src', { ...NOTHING_APPLIED, rejectedCsvEtag: 'bad' })).toBe(true);
    expect(listingApplied({ ...listed, csvEtag: 'bad' }, 'src', { ...state, rejectedCsvEtag: 'bad' })).toBe(true);
  });

  it('reconciles a rejected user with a row whose picture changed', () => {
    expect(listingApplied({ ...listed, csvEtag: 'bad', imageKey: null }, 'src', { ...state, rejectedCsvEtag: 'bad' })).toBe(false);
  });
});

describe('eventMissed: after its reconcile, whether the row still lacks what the event announced', () => {
  const missed = (event: BucketEventRecord, after: AppliedState) => eventMissed(event, 'src', after);

  it('a created csv whose version is neither the row nor the recorded rejection (a stale read, or superseded)', () => {
    expect(missed(created('7.csv', 'B'), row({ csvEtag: 'A' }))).toBe(true);
    expect(missed(created('7.csv', 'B'), NOTHING_APPLIED)).toBe(true);
    expect(missed(created('7.csv', 'B'), row({ csvEtag: 'B' }))).toBe(false);
    expect(missed(created('7.csv', 'B'), row({ rejectedCsvEtag: 'B' }))).toBe(false);
  });

  it('a removed csv whose row or rejection is still there', () => {
    expect(missed(removed('7.csv'), row({}))).toBe(true);
    expect(missed(removed('7.csv'), { ...NOTHING_APPLIED, rejectedCsvEtag: 'B' })).toBe(true);
    expect(missed(removed('7.csv'), NOTHING_APPLIED)).toBe(false);
  });

  it('a created picture the row does not show, nor a more preferred one', () => {
    expect(missed(created('7.png'), row({ imgPath: null }))).toBe(true);
    expect(missed(created('7.png'), row({ imgPath: 'src/7.jpg' }))).toBe(true);
    expect(missed(created('7.png'), row({ imgPath: 'src/7.png' }))).toBe(false);
    expect(missed(created('7.jpeg'), row({ imgPath: 'src/7.jpg' }))).toBe(false);
  });

  it('a created picture of a user with no row yet (no csv) misses nothing', () => {
    expect(missed(created('7.png'), NOTHING_APPLIED)).toBe(false);
  });

  it('a removed picture the row still points to', () => {
    expect(missed(removed('7.png'), row({ imgPath: 'src/7.png' }))).toBe(true);
    expect(missed(removed('7.png'), row({ imgPath: 'src/7.jpg' }))).toBe(false);
  });

  it('nothing it cannot judge: a created csv without ETag, another bucket, a key that is no user file', () => {
    expect(missed(created('7.csv'), row({ csvEtag: 'A' }))).toBe(false);
    expect(missed({ ...created('7.csv', 'B'), bucket: 'other' }, row({}))).toBe(false);
    expect(missed(created('notes.txt', 'B'), row({}))).toBe(false);
  });
});

describe('changedUnannounced: whether a reconcile changed a row in a way none of its events announced', () => {
  const unannounced = (before: AppliedState, after: AppliedState, events: BucketEventRecord[]) => changedUnannounced(before, after, events, 'src');

  it("the row removed, its csv read absent, on a picture's event alone (a stale read of the csv)", () => {
    expect(unannounced(row({ imgPath: 'src/7.png' }), NOTHING_APPLIED, [removed('7.png')])).toBe(true);
    expect(unannounced(row({}), NOTHING_APPLIED, [created('7.png')])).toBe(true);
    expect(unannounced(row({}), NOTHING_APPLIED, [created('7.csv', 'B')])).toBe(true);
  });

  it('not the row, when a removal of its csv is among the events', () => {
    expect(unannounced(row({ imgPath: 'src/7.png' }), NOTHING_APPLIED, [removed('7.png'), removed('7.csv')])).toBe(false);
    expect(unannounced(row({}), NOTHING_APPLIED, [{ ...removed('7.csv'), eventName: 's3:ObjectRemoved:DeleteMarkerCreated' }])).toBe(false);
  });

  it("the csv version replaced on a picture's event alone (an older version read), not with a csv event among them", () => {
    expect(unannounced(row({ imgPath: 'src/7.png' }), row({ csvEtag: 'B', imgPath: 'src/7.png' }), [created('7.png')])).toBe(true);
    expect(unannounced(row({}), row({ csvEtag: 'B' }), [created('7.csv', 'B')])).toBe(false);
  });

  it('the picture lost, dropped or replaced by a less preferred one, without a removal of it', () => {
    expect(unannounced(row({ imgPath: 'src/7.png' }), row({ imgPath: null }), [created('7.csv', 'A')])).toBe(true);
    expect(unannounced(row({ imgPath: 'src/7.png' }), row({ imgPath: 'src/7.jpg' }), [created('7.jpg')])).toBe(true);
    expect(unannounced(row({ imgPath: 'src/7.png' }), row({ imgPath: null }), [removed('7.jpg')])).toBe(true);
    expect(unannounced(row({ imgPath: 'src/7.png' }), row({ imgPath: null }), [removed('7.png')])).toBe(false);
    expect(unannounced(row({ imgPath: 'src/7.png' }), row({ imgPath: 'src/7.jpg' }), [removed('7.png')])).toBe(false);
  });

  it('a picture gained, where there was none or a less preferred one, without its creation (a deleted one read)', () => {
    expect(unannounced(row({ imgPath: null }), row({ imgPath: 'src/7.png' }), [created('7.csv', 'A')])).toBe(true);
    expect(unannounced(row({ imgPath: 'src/7.jpg' }), row({ imgPath: 'src/7.png' }), [removed('7.jpg')])).toBe(true);
    expect(unannounced(row({ imgPath: null }), row({ imgPath: 'src/7.png' }), [created('7.png')])).toBe(false);
    expect(unannounced(row({ imgPath: 'src/7.jpg' }), row({ imgPath: 'src/7.png' }), [created('7.png')])).toBe(false);
  });

  it('nothing when the row is as it was, or when it is created (a picture event often comes before its csv)', () => {
    expect(unannounced(row({ imgPath: 'src/7.png' }), row({ imgPath: 'src/7.png' }), [created('7.png')])).toBe(false);
    expect(unannounced(NOTHING_APPLIED, row({ imgPath: 'src/7.png' }), [created('7.png')])).toBe(false);
    expect(unannounced({ ...NOTHING_APPLIED, rejectedCsvEtag: 'B' }, NOTHING_APPLIED, [created('7.png')])).toBe(false);
  });

  it('an event of another bucket announces nothing', () => {
    expect(unannounced(row({}), NOTHING_APPLIED, [{ ...removed('7.csv'), bucket: 'other' }])).toBe(true);
  });

  describe('an event older than the row announces nothing to it (a late copy, or one asked again: the row was read after its change)', () => {
    const written = Date.UTC(2026, 10, 26, 17, 0, 0);
    const at = (event: BucketEventRecord, secondsFromWrite: number): BucketEventRecord => ({ ...event, eventTime: written + secondsFromWrite * 1000 });

    it('the row removed on a removal of its csv made before the row was written (the csv created again since, read stale)', () => {
      expect(unannounced(row({ rowWrittenAt: written }), NOTHING_APPLIED, [at(removed('7.csv'), -13)])).toBe(true);
    });
    it('not on a removal made after it, nor at the very time of the write, nor one whose time is not known', () => {
      expect(unannounced(row({ rowWrittenAt: written }), NOTHING_APPLIED, [at(removed('7.csv'), 2)])).toBe(false);
      expect(unannounced(row({ rowWrittenAt: written }), NOTHING_APPLIED, [at(removed('7.csv'), 0)])).toBe(false);
      expect(unannounced(row({ rowWrittenAt: written }), NOTHING_APPLIED, [removed('7.csv')])).toBe(false);
      expect(unannounced(row({}), NOTHING_APPLIED, [at(removed('7.csv'), -13)])).toBe(false);
    });
    it('not when a newer removal of the csv is among the events too', () => {
      expect(unannounced(row({ rowWrittenAt: written }), NOTHING_APPLIED, [at(removed('7.csv'), -13), at(removed('7.csv'), 5)])).toBe(false);
    });
    it('the same for the csv replaced, and for a picture lost or gained', () => {
      expect(unannounced(row({ rowWrittenAt: written }), row({ csvEtag: 'B' }), [at(created('7.csv', 'B'), -1)])).toBe(true);
      expect(unannounced(row({ imgPath: 'src/7.png', rowWrittenAt: written }), row({ imgPath: null }), [at(removed('7.png'), -1)])).toBe(true);
      expect(unannounced(row({ rowWrittenAt: written }), row({ imgPath: 'src/7.png' }), [at(created('7.png'), -1)])).toBe(true);
      expect(unannounced(row({ rowWrittenAt: written }), row({ imgPath: 'src/7.png' }), [at(created('7.png'), 1)])).toBe(false);
    });
  });
});

describe('seenOnlyPictureOf: a created jpg or jpeg, whose extension its reconcile records as seen', () => {
  it('names the extension of a created jpg or jpeg (any kind of creation)', () => {
    expect(seenOnlyPictureOf(created('1.jpg'), 'src')).toBe('jpg');
    expect(seenOnlyPictureOf({ ...created('1.jpeg'), eventName: 's3:ObjectCreated:CompleteMultipartUpload' }, 'src')).toBe('jpeg');
  });

  it('is null for the png (always looked for), a csv, a removal, another bucket or no user file', () => {
    expect(seenOnlyPictureOf(created('1.png'), 'src')).toBeNull();
    expect(seenOnlyPictureOf(created('1.csv', 'E'), 'src')).toBeNull();
    expect(seenOnlyPictureOf(removed('1.jpg'), 'src')).toBeNull();
    expect(seenOnlyPictureOf({ ...created('1.jpg'), bucket: 'other' }, 'src')).toBeNull();
    expect(seenOnlyPictureOf(created('dir/1.jpg'), 'src')).toBeNull();
  });
});
