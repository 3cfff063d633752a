import { expectedFromListing, lagging } from './caughtUp';

describe('caught up', () => {
  const listing = new Map([
    ['u1.csv', 'c1'],
    ['u1.png', 'p1'],
    ['u1.jpg', 'j1'],
    ['u2.csv', 'c2'],
    ['u3.png', 'p3'],
    ['u4.csv', 'c4'],
    ['u4.jpeg', 'x'],
  ]);

  it('expects a row per csv with its preferred picture', () => {
    expect(expectedFromListing(listing, 'src')).toEqual(
      new Map([
        ['u1', { csvEtag: 'c1', imgPath: 'src/u1.png' }],
        ['u2', { csvEtag: 'c2', imgPath: null }],
        ['u4', { csvEtag: 'c4', imgPath: 'src/u4.jpeg' }],
      ]),
    );
  });

  it('finds nobody lagging when every row is built from the listed versions', () => {
    const rows = [
      { user_id: 'u1', csv_etag: 'c1', img_path: 'src/u1.png' },
      { user_id: 'u2', csv_etag: 'c2', img_path: null },
      { user_id: 'u4', csv_etag: 'c4', img_path: 'src/u4.jpeg' },
    ];
    expect(lagging(listing, 'src', rows)).toEqual([]);
  });

  it('finds missing rows, stale csvs, wrong pictures and rows of users without a csv', () => {
    const rows = [
      { user_id: 'u1', csv_etag: 'c1', img_path: 'src/u1.jpg' },
      { user_id: 'u2', csv_etag: 'old', img_path: null },
      { user_id: 'u3', csv_etag: 'c3', img_path: 'src/u3.png' },
    ];
    expect(lagging(listing, 'src', rows)).toEqual(['u1', 'u2', 'u3', 'u4']);
  });
});
