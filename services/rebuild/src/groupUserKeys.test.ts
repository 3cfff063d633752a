import type { ListedUser } from '@userpipe/shared';
import { groupUserKeys, type ListedUserKeys } from './groupUserKeys';

async function listed(names: string[]): Promise<ListedUserKeys[]> {
  const sorted = [...names].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  async function* listing() {
    for (const name of sorted) yield { name, etag: `etag-of-${name}` };
  }
  const users: ListedUserKeys[] = [];
  for await (const user of groupUserKeys(listing())) users.push(user);
  return users;
}

/** The users as reconcile and the skip rule see them. */
async function group(names: string[]): Promise<ListedUser[]> {
  return (await listed(names)).map(({ pictureExtensions: _, ...user }) => user);
}

describe('groupUserKeys', () => {
  it('gathers each user\'s csv and picture', async () => {
    expect(await group(['1.csv', '1.png', '2.csv', '3.jpg'])).toEqual([
      { userId: '1', csvEtag: 'etag-of-1.csv', imageKey: '1.png' },
      { userId: '2', csvEtag: 'etag-of-2.csv', imageKey: null },
      { userId: '3', csvEtag: null, imageKey: '3.jpg' },
    ]);
  });

  it('prefers png, then jpg, then jpeg', async () => {
    expect(await group(['7.jpeg', '7.jpg', '7.csv'])).toEqual([{ userId: '7', csvEtag: 'etag-of-7.csv', imageKey: '7.jpg' }]);
    expect(await group(['7.jpeg', '7.png', '7.jpg'])).toEqual([{ userId: '7', csvEtag: null, imageKey: '7.png' }]);
  });

  it('keeps a user whole when another user\'s keys sort inside its own', async () => {
    const users = await group(['a.csv', 'a.d.csv', 'a.d.png', 'a.png', 'a-b.csv', 'b.csv']);
    expect(users).toEqual(
      expect.arrayContaining([
        { userId: 'a', csvEtag: 'etag-of-a.csv', imageKey: 'a.png' },
        { userId: 'a.d', csvEtag: 'etag-of-a.d.csv', imageKey: 'a.d.png' },
        { userId: 'a-b', csvEtag: 'etag-of-a-b.csv', imageKey: null },
        { userId: 'b', csvEtag: 'etag-of-b.csv', imageKey: null },
      ]),
    );
    expect(users).toHaveLength(4);
  });

  it('names every picture extension listed, also those behind the preferred one', async () => {
    expect((await listed(['7.jpeg', '7.png', '7.jpg', '8.csv'])).map((u) => [u.userId, [...u.pictureExtensions].sort()])).toEqual([
      ['7', ['jpeg', 'jpg', 'png']],
      ['8', []],
    ]);
  });

  it('skips keys that are not user files', async () => {
    expect(await group(['notes.txt', 'x/1.csv', '1.CSV', '5.csv'])).toEqual([{ userId: '5', csvEtag: 'etag-of-5.csv', imageKey: null }]);
  });

  it('yields each user once, over many', async () => {
    const names = Array.from({ length: 2000 }, (_, i) => [`${i}.csv`, `${i}.png`, `${i}.5.csv`]).flat();
    const users = await group(names);
    expect(users).toHaveLength(4000);
    expect(new Set(users.map((u) => u.userId)).size).toBe(4000);
    expect(users.every((u) => u.csvEtag !== null)).toBe(true);
  });
});
