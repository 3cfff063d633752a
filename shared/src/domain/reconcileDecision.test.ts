import { appliedAfter, decideReconcile, needsCsvBody, type BucketObservation, type CsvObservation, type UserRow } from './reconcileDecision';

const row: UserRow = { userId: '7', firstName: 'Ada', lastName: 'Lovelace', birthts: 1, imgPath: null, csvEtag: 'e1' };
const withImage: UserRow = { ...row, imgPath: 'src/7.png' };
const good = (etag: string, firstName = 'Ada'): CsvObservation => ({
  state: 'good', key: '7.csv', etag, user: { firstName, lastName: 'Lovelace', birthts: 1 },
});
const bad: CsvObservation = { state: 'bad', key: '7.csv', etag: 'e9', reason: 'birthts is empty' };
const absent: CsvObservation = { state: 'absent' };
const same: CsvObservation = { state: 'same', key: '7.csv', etag: 'e1' };
const seen = (csv: CsvObservation, imgPath: string | null = null): BucketObservation => ({ csv, imgPath });

describe('decideReconcile', () => {
  describe('csv present and good', () => {
    it('inserts a new user without a picture', () => {
      expect(decideReconcile('7', null, seen(good('e1')))).toEqual({
        outcome: 'inserted', row: { action: 'upsert', row }, rejection: { action: 'clear' },
      });
    });

    it('inserts a new user with a picture', () => {
      expect(decideReconcile('7', null, seen(good('e1'), 'src/7.png'))).toMatchObject({
        outcome: 'inserted', row: { action: 'upsert', row: withImage },
      });
    });

    it('updates changed fields', () => {
      expect(decideReconcile('7', row, seen(good('e2', 'Augusta')))).toEqual({
        outcome: 'updated',
        row: { action: 'upsert', row: { ...row, firstName: 'Augusta', csvEtag: 'e2' } },
        rejection: { action: 'clear' },
      });
    });

    it('sets the picture that appeared', () => {
      expect(decideReconcile('7', row, seen(good('e1'), 'src/7.png'))).toMatchObject({ outcome: 'updated', row: { row: withImage } });
    });

    it('clears the picture that went away', () => {
      expect(decideReconcile('7', withImage, seen(good('e1')))).toMatchObject({ outcome: 'updated', row: { row } });
    });

    it('changes nothing when the row already matches', () => {
      expect(decideReconcile('7', withImage, seen(good('e1'), 'src/7.png'))).toEqual({
        outcome: 'unchanged', row: { action: 'keep' }, rejection: { action: 'clear' },
      });
    });

    it('records a new ETag even when the fields are equal', () => {
      expect(decideReconcile('7', row, seen(good('e2')))).toMatchObject({ outcome: 'updated', row: { row: { ...row, csvEtag: 'e2' } } });
    });
  });

  describe('csv unchanged since the row was built (body not read)', () => {
    it('changes nothing when the picture is as recorded', () => {
      expect(decideReconcile('7', row, seen(same))).toMatchObject({ outcome: 'unchanged', row: { action: 'keep' } });
    });

    it('follows the picture', () => {
      expect(decideReconcile('7', row, seen(same, 'src/7.png'))).toMatchObject({ outcome: 'updated', row: { row: withImage } });
      expect(decideReconcile('7', withImage, seen(same))).toMatchObject({ outcome: 'updated', row: { row } });
    });
  });

  describe('csv present but bad', () => {
    it('records the rejection and writes nothing for a new user', () => {
      expect(decideReconcile('7', null, seen(bad, 'src/7.png'))).toEqual({
        outcome: 'rejected',
        row: { action: 'keep' },
        rejection: { action: 'record', key: '7.csv', etag: 'e9', reason: 'birthts is empty' },
      });
    });

    it('keeps the last good row', () => {
      expect(decideReconcile('7', row, seen(bad))).toMatchObject({ outcome: 'rejected', row: { action: 'keep' } });
    });

    it('keeps the last good fields but follows the picture', () => {
      expect(decideReconcile('7', row, seen(bad, 'src/7.png'))).toMatchObject({ row: { action: 'upsert', row: withImage } });
      expect(decideReconcile('7', withImage, seen(bad))).toMatchObject({ row: { action: 'upsert', row } });
    });
  });

  describe('csv absent', () => {
    it.each([null, 'src/7.png'])('deletes the row whatever the picture (%s)', (imgPath) => {
      expect(decideReconcile('7', withImage, seen(absent, imgPath))).toEqual({
        outcome: 'deleted', row: { action: 'delete' }, rejection: { action: 'clear' },
      });
    });

    it.each([null, 'src/7.png'])('does nothing for an unknown user (picture %s)', (imgPath) => {
      expect(decideReconcile('7', null, seen(absent, imgPath))).toEqual({
        outcome: 'absent', row: { action: 'keep' }, rejection: { action: 'clear' },
      });
    });
  });

  it('is idempotent: applying a decision and deciding again changes nothing', () => {
    const first = decideReconcile('7', null, seen(good('e1'), 'src/7.png'));
    if (first.row.action !== 'upsert') throw new Error('expected an upsert');
    expect(decideReconcile('7', first.row.row, seen(same, 'src/7.png')).outcome).toBe('unchanged');
  });
});

describe('needsCsvBody', () => {
  it('reads the body of a new user', () => expect(needsCsvBody(null, 'e1', false)).toBe(true));
  it('reads a changed csv', () => expect(needsCsvBody(row, 'e2', false)).toBe(true));
  it('skips the version the row was built from', () => expect(needsCsvBody(row, 'e1', false)).toBe(false));
  it('rereads everything when asked', () => expect(needsCsvBody(row, 'e1', true)).toBe(true));
});

describe('appliedAfter: what the database holds once a decision is written', () => {
  it('the new row of an upsert, with no rejection', () => {
    const next = { ...row, csvEtag: 'e2', imgPath: 'src/7.png' };
    expect(appliedAfter(row, { outcome: 'updated', row: { action: 'upsert', row: next }, rejection: { action: 'clear' } })).toEqual({ csvEtag: 'e2', imgPath: 'src/7.png', rejectedCsvEtag: null });
  });

  it('the row kept, and the rejection recorded', () => {
    expect(appliedAfter(row, { outcome: 'rejected', row: { action: 'keep' }, rejection: { action: 'record', key: '7.csv', etag: 'e9', reason: 'bad' } })).toEqual({ csvEtag: 'e1', imgPath: null, rejectedCsvEtag: 'e9' });
  });

  it('nothing after a delete', () => {
    expect(appliedAfter(row, { outcome: 'deleted', row: { action: 'delete' }, rejection: { action: 'clear' } })).toEqual({ csvEtag: null, imgPath: null, rejectedCsvEtag: null });
  });
});
