import { drawWriteSeq } from '../db/queries/drawWriteSeq';
import { recordPictureExtensions } from '../db/queries/recordPictureExtensions';
import { recordingReconcileDeps, TestStack, userCsv, type ObjectCall } from '../testing';
import type { ReconcileDeps } from './reconcileDeps';
import { reconcileUser, reconcileUsers } from './reconcileUsers';

// A rebuild takes pictures from its listing of the bucket, made before the users' locks were
// held, wherever that cannot lose a newer picture (shared/src/domain/listedPicture.ts).
describe('pictures from a listing made before the locks', () => {
  let stack: TestStack;
  let deps: ReconcileDeps;
  let calls: ObjectCall[];
  const heads = () => calls.filter((c) => c.method === 'HEAD').map((c) => c.key);
  /** The lookups of a user without a png: the png first, then jpg and jpeg together (in either order). */
  const lookedForEveryPicture = (id: string) => {
    expect(heads()[0]).toBe(`${id}.png`);
    expect([...heads()].sort()).toEqual([`${id}.jpeg`, `${id}.jpg`, `${id}.png`]);
  };
  const pictureOf = async (userId: string) => (await stack.users()).find((u) => u.user_id === userId)?.img_path;
  const listing = (seq: bigint, imageKeys: Record<string, string | null>) => ({ listing: { seq, imageKeys: new Map(Object.entries(imageKeys)) } });

  beforeAll(async () => {
    stack = await TestStack.create();
    ({ deps, calls } = await recordingReconcileDeps(stack));
    // A bucket that has shown both, so that every picture is looked for (picturesLookedFor.int.test.ts).
    await recordPictureExtensions(deps.pool, ['jpg', 'jpeg']);
  });
  afterAll(() => stack.dispose());
  beforeEach(() => void calls.splice(0));

  it('are used without a HEAD for rows written before the listing that name the same picture, or none', async () => {
    for (const id of ['a', 'b', 'c']) await stack.put(`${id}.csv`, userCsv(id, id, 1));
    await stack.put('a.png', 'png');
    await stack.put('c.jpg', 'jpg');
    await reconcileUsers(deps, ['a', 'b', 'c']);
    const seq = await drawWriteSeq(deps.pool);
    calls.splice(0);

    await reconcileUsers(deps, ['a', 'b', 'c'], { reread: true, ...listing(seq, { a: 'a.png', b: null, c: 'c.jpg' }) });

    expect(heads()).toEqual([]);
    expect(calls.filter((c) => c.method === 'GET').map((c) => c.key).sort()).toEqual(['a.csv', 'b.csv', 'c.csv']);
    expect(await pictureOf('a')).toBe(`${stack.srcBucket}/a.png`);
    expect(await pictureOf('b')).toBeNull();
    expect(await pictureOf('c')).toBe(`${stack.srcBucket}/c.jpg`);
  });

  it('are read from the bucket when a worker wrote the row after the listing began: its newer picture wins', async () => {
    await stack.put('d.csv', userCsv('D', 'D', 4));
    await stack.put('d.png', 'png');
    await reconcileUser(deps, 'd');
    const seq = await drawWriteSeq(deps.pool); // the rebuild's listing shows d.png...
    await stack.remove('d.png'); // ...which is removed, and a worker applies that
    await reconcileUser(deps, 'd');
    calls.splice(0);

    await reconcileUsers(deps, ['d'], listing(seq, { d: 'd.png' }));

    lookedForEveryPicture('d');
    expect(await pictureOf('d')).toBeNull();
  });

  it('are read from the bucket when the row names another picture than the listing', async () => {
    await stack.put('e.csv', userCsv('E', 'E', 5));
    await stack.put('e.png', 'png');
    await reconcileUser(deps, 'e');
    const seq = await drawWriteSeq(deps.pool);
    calls.splice(0);

    await reconcileUsers(deps, ['e'], listing(seq, { e: null }));

    expect(heads()).toEqual(['e.png']);
    expect(await pictureOf('e')).toBe(`${stack.srcBucket}/e.png`);
  });

  it('are used without a HEAD for users without a row whom no reconcile has left rowless since the listing (a first import)', async () => {
    await stack.put('g.csv', userCsv('G', 'G', 7));
    await stack.put('g.png', 'png');
    await stack.put('h.csv', userCsv('H', 'H', 8));
    const seq = await drawWriteSeq(deps.pool);
    calls.splice(0);

    await reconcileUsers(deps, ['g', 'h'], listing(seq, { g: 'g.png', h: null }));

    expect(heads()).toEqual([]);
    expect(await pictureOf('g')).toBe(`${stack.srcBucket}/g.png`);
    expect(await pictureOf('h')).toBeNull();
  });

  it('are read from the bucket for a user a worker deleted after the listing: it may have seen a picture change on the way', async () => {
    await stack.put('i.csv', userCsv('I', 'I', 9));
    await stack.put('i.png', 'png');
    await reconcileUser(deps, 'i');
    const seq = await drawWriteSeq(deps.pool); // the listing shows i.png
    await stack.remove('i.png');
    await stack.remove('i.csv'); // a worker deletes the row...
    await reconcileUser(deps, 'i');
    await stack.put('i.csv', userCsv('I', 'I', 9)); // ...and the csv comes back, its event still queued
    calls.splice(0);

    await reconcileUsers(deps, ['i'], listing(seq, { i: 'i.png' }));

    lookedForEveryPicture('i');
    expect(await pictureOf('i')).toBeNull();
  });

  it('are read from the bucket for a user a worker left rowless after the listing: the csv event still to come would be skipped once the row exists', async () => {
    await stack.put('f.png', 'png');
    const seq = await drawWriteSeq(deps.pool); // the listing shows f.png (and no csv yet)
    await stack.remove('f.png'); // a worker reconciles that: no csv, so no row
    await reconcileUser(deps, 'f');
    await stack.put('f.csv', userCsv('F', 'F', 6)); // its event is still in the queue
    calls.splice(0);

    await reconcileUsers(deps, ['f'], listing(seq, { f: 'f.png' }));

    lookedForEveryPicture('f');
    expect(await pictureOf('f')).toBeNull();
  });
});
