import { canSkip } from './rebuildDecision';

const listed = { userId: '1', csvEtag: 'e1', imageKey: '1.png' };
const recorded = { csvEtag: 'e1', imgPath: 'src/1.png', rejectedEtag: null };

describe('canSkip', () => {
  it('skips a user whose csv version and picture are as recorded', () => {
    expect(canSkip(listed, recorded, 'src', false)).toBe(true);
  });

  it.each([
    ['a changed csv', { ...listed, csvEtag: 'e2' }, recorded],
    ['a new picture', listed, { ...recorded, imgPath: null }],
    ['a removed picture', { ...listed, imageKey: null }, recorded],
    ['a different picture', { ...listed, imageKey: '1.jpg' }, recorded],
    ['a user Postgres does not know', listed, undefined],
    ['a user without csv (it must be deleted)', { ...listed, csvEtag: null }, recorded],
  ])('reconciles %s', (_what, l, r) => {
    expect(canSkip(l, r, 'src', false)).toBe(false);
  });

  it('skips a csv already rejected in this version', () => {
    expect(canSkip({ ...listed, csvEtag: 'bad' }, { csvEtag: null, imgPath: null, rejectedEtag: 'bad' }, 'src', false)).toBe(true);
    expect(canSkip({ ...listed, csvEtag: 'bad' }, { ...recorded, rejectedEtag: 'bad' }, 'src', false)).toBe(true);
  });

  it('reconciles a rejected user whose picture changed', () => {
    expect(canSkip({ ...listed, csvEtag: 'bad', imageKey: null }, { ...recorded, rejectedEtag: 'bad' }, 'src', false)).toBe(false);
  });

  it('skips nobody in a full rebuild', () => {
    expect(canSkip(listed, recorded, 'src', true)).toBe(false);
  });
});
