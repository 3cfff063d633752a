import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, MIGRATIONS_DIR } from '../db/migrate';
import type { ImageExtension } from '../domain/userKey';
import { recordingReconcileDeps, TestStack, userCsv, type ObjectCall } from '../testing';
import type { ReconcileDeps } from './reconcileDeps';
import { reconcileUser, reconcileUsers } from './reconcileUsers';

// A reconcile looks for the png always, and for a jpg or a jpeg only once the bucket has shown
// one (docs/design.md, "Pictures looked for"): a bucket of pngs costs one HEAD per user.
describe('pictures looked for', () => {
  let stack: TestStack;
  let deps: ReconcileDeps;
  let calls: ObjectCall[];
  const heads = () => calls.filter((c) => c.method === 'HEAD').map((c) => c.key);
  const pictureOf = async (userId: string) => (await stack.user(userId))?.img_path ?? null;
  const seen = async () => (await stack.db.query<{ extension: string }>('SELECT extension FROM picture_extensions_seen ORDER BY extension')).rows.map((r) => r.extension);

  beforeAll(async () => {
    stack = await TestStack.create();
    ({ deps, calls } = await recordingReconcileDeps(stack));
  });
  afterAll(() => stack.dispose());
  beforeEach(async () => {
    await stack.db.query('DELETE FROM picture_extensions_seen');
    calls.splice(0);
  });

  it('are the png alone in a bucket that has shown no jpg or jpeg: a user without a picture costs one HEAD', async () => {
    await stack.put('bare.csv', userCsv('Bare', 'User', 1));

    await reconcileUser(deps, 'bare');

    expect(heads()).toEqual(['bare.png']);
    expect(await pictureOf('bare')).toBeNull();
    expect(await seen()).toEqual([]);
  });

  it('leave out a jpg no reconcile was shown, and find it once one is shown, its extension recorded', async () => {
    await stack.put('j.csv', userCsv('J', 'User', 1));
    await stack.put('j.jpg', 'a jpg');

    await reconcileUser(deps, 'j');
    expect(await pictureOf('j')).toBeNull();

    calls.splice(0);
    await reconcileUser(deps, 'j', { picturesShown: ['jpg'] });
    expect(heads()).toEqual(['j.png', 'j.jpg']);
    expect(await pictureOf('j')).toBe(`${stack.srcBucket}/j.jpg`);
    expect(await seen()).toEqual(['jpg']);
  });

  it('include what another reconcile recorded, for every user, and nothing not recorded', async () => {
    await reconcileUser(deps, 'nobody', { picturesShown: ['jpeg'] });
    await stack.put('k.csv', userCsv('K', 'User', 1));
    await stack.put('k.jpeg', 'a jpeg');
    await stack.put('k.jpg', 'a jpg, not looked for');
    calls.splice(0);

    await reconcileUser(deps, 'k');

    expect(heads()).toEqual(['k.png', 'k.jpeg']);
    expect(await pictureOf('k')).toBe(`${stack.srcBucket}/k.jpeg`);
  });

  it("count a listing's pictures as shown", async () => {
    await stack.put('l.csv', userCsv('L', 'User', 1));
    await stack.put('l.jpg', 'a jpg');

    await reconcileUsers(deps, ['l'], { listing: { seq: 0n, imageKeys: new Map([['l', 'l.jpg']]) } });

    expect(await seen()).toEqual(['jpg']);
    expect(await pictureOf('l')).toBe(`${stack.srcBucket}/l.jpg`);
  });

  /** Reconcile's dependencies whose reads of m's csv fail, so its transaction rolls back after recording. */
  const failingOnM = async () => (await recordingReconcileDeps(stack, (key) => key === 'm.csv')).deps;

  it('are recorded only when the reconcile commits', async () => {
    await expect(reconcileUser(await failingOnM(), 'm', { picturesShown: ['jpg'] })).rejects.toThrow(/MinIO refused m.csv/);

    expect(await seen()).toEqual([]);
  });

  it('are kept by the process once recorded, so that it stops asking; never from a reconcile that failed', async () => {
    const known = new Set<ImageExtension>();
    const cached = { ...deps, seenExtensions: known };
    await expect(reconcileUser({ ...(await failingOnM()), seenExtensions: known }, 'm', { picturesShown: ['jpg'] })).rejects.toThrow(/MinIO refused/);
    expect([...known]).toEqual([]);

    await reconcileUser(cached, 'nobody', { picturesShown: ['jpg', 'jpeg'] });
    expect([...known].sort()).toEqual(['jpeg', 'jpg']);

    // Known to the process, both are looked for without asking the table (emptied here).
    await stack.db.query('DELETE FROM picture_extensions_seen');
    await stack.put('n.csv', userCsv('N', 'User', 1));
    calls.splice(0);
    await reconcileUser(cached, 'n');
    expect([...heads()].sort()).toEqual(['n.jpeg', 'n.jpg', 'n.png']);
  });
});

// Before this table, every reconcile looked for all three: a database filled so may hold users
// whose jpg hides behind a preferred png, which no row shows.
describe('the migration that starts recording pictures seen', () => {
  let stack: TestStack;
  let before: string;

  beforeAll(async () => {
    stack = await TestStack.create();
    before = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    for (const file of await readdir(MIGRATIONS_DIR)) if (file < '007') await copyFile(path.join(MIGRATIONS_DIR, file), path.join(before, file));
  });
  afterAll(async () => {
    await rm(before, { recursive: true, force: true });
    await stack.dispose();
  });

  it('records jpg and jpeg as seen in a database that already holds users', async () => {
    await migrate(stack.db, before);
    await stack.db.query(`INSERT INTO users (user_id, first_name, last_name, birthdate, img_path, csv_etag) VALUES ('1', 'A', 'B', now(), NULL, 'e')`);

    await stack.migrate();

    expect((await stack.db.query('SELECT extension FROM picture_extensions_seen ORDER BY extension')).rows).toEqual([{ extension: 'jpeg' }, { extension: 'jpg' }]);
  });
});

describe('the migration on a new database', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
  });
  afterAll(() => stack.dispose());

  it('records nothing as seen: only the bucket can show a jpg or jpeg', async () => {
    await stack.migrate();

    expect((await stack.db.query('SELECT count(*)::int AS n FROM picture_extensions_seen')).rows).toEqual([{ n: 0 }]);
  });
});
