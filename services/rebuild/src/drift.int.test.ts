import { reconcileUser } from '@userpipe/shared';
import { expectedOutputCsv, recordingReconcileDeps, TestStack, userCsv, usersFromBucket, type UserRowView } from '@userpipe/shared/testing';
import { rebuildNow } from './testRebuild';

// Drift of every kind, each repaired by one rebuild so that Postgres and output.csv equal an
// independent computation from the bucket.
describe('a rebuild repairs drift', () => {
  let stack: TestStack;
  let lastGood: Map<string, UserRowView>;

  beforeAll(async () => {
    // No worker runs in this file: every change reaches Postgres only through rebuilds.
    stack = await TestStack.create();
    for (let i = 0; i < 30; i++) await stack.put(`u${i}.csv`, userCsv(`First${i}`, `Last, ${i}`, Date.UTC(1960 + i, 5, 1)));
    for (let i = 0; i < 30; i += 2) await stack.put(`u${i}.png`, 'png');
    expect((await rebuildNow(stack)).summary).toMatchObject({ seen: 30, inserted: 30 });
    await stack.put('u29.csv', 'first_name,last_name,birthts\nNo,Date,\n'); // broken over a good one
    expect((await rebuildNow(stack)).summary).toMatchObject({ rejected: 1, unchanged: 29 });
    expect((await stack.rejections()).map((r) => r.key)).toEqual(['u29.csv']);
    lastGood = new Map((await stack.users()).map((u) => [u.user_id, u]));
  });
  afterAll(() => stack.dispose());

  async function expectMatchesBucket() {
    const truth = await usersFromBucket(stack, (id) => lastGood.get(id));
    expect(await stack.users()).toEqual(truth);
    expect(await stack.outputCsv()).toBe(expectedOutputCsv(truth));
  }

  it('events never delivered: files uploaded, changed and deleted with nothing listening', async () => {
    for (let i = 30; i < 40; i++) await stack.put(`u${i}.csv`, userCsv(`Late${i}`, 'Comer', 1000 * i));
    await stack.put('u31.jpg', 'jpg');
    await stack.remove('u0.csv');
    await stack.remove('u2.png');
    await stack.put('u40.csv', 'not a user file at all');
    await stack.put('u4.csv', userCsv('Changed', 'Quietly', 4));
    const { summary, ok } = await rebuildNow(stack);
    expect(ok).toBe(true);
    // u29's broken version was already rejected, so it is skipped; u40 is newly rejected.
    expect(summary).toMatchObject({ inserted: 10, updated: 2, deleted: 1, rejected: 1, failed: 0 });
    await expectMatchesBucket();
    expect((await stack.rejections()).map((r) => r.key)).toEqual(['u29.csv', 'u40.csv']);
  });

  it('rows deleted and edited by hand, and a row whose files are gone', async () => {
    await stack.db.query(`DELETE FROM users WHERE user_id IN ('u5', 'u6')`);
    await stack.db.query(`UPDATE users SET first_name = 'Hacked', img_path = NULL WHERE user_id = 'u8'`);
    await stack.db.query(`UPDATE users SET birthdate = now() WHERE user_id = 'u9'`);
    await stack.db.query(
      `INSERT INTO users (user_id, first_name, last_name, birthdate, csv_etag) VALUES ('ghost', 'No', 'Files', now(), 'x')`,
    );
    // A default rebuild trusts rows whose csv version is unchanged, so hand edits need --full.
    const { summary } = await rebuildNow(stack, { full: true });
    expect(summary).toMatchObject({ inserted: 2, deleted: 1, failed: 0 });
    expect(summary.updated).toBeGreaterThanOrEqual(2);
    await expectMatchesBucket();
  });

  it('output.csv deleted', async () => {
    await stack.minio.removeObject(stack.resBucket, 'output.csv');
    await rebuildNow(stack);
    await expectMatchesBucket();
  });

  it('changes nothing on a bucket already in step', async () => {
    const { summary } = await rebuildNow(stack);
    expect(summary).toMatchObject({ inserted: 0, updated: 0, deleted: 0, failed: 0 });
    expect(summary.csvReads).toBe(0);
    expect(summary.unchanged + summary.absent).toBe(summary.seen); // u0 is a picture without a csv
    await expectMatchesBucket();
  });

  // A worker looks for a jpg or jpeg only once the bucket has shown one (docs/design.md, "Pictures
  // looked for"); a jpg whose event was lost would otherwise stay unlooked for behind its png.
  it('records a listed jpg as seen, even behind a png on a user left unchanged, so a later reconcile finds it', async () => {
    await stack.put('pj.csv', userCsv('Picture', 'Behind', 1));
    await stack.put('pj.png', 'png');
    await rebuildNow(stack);
    await stack.db.query('DELETE FROM picture_extensions_seen'); // a database that has seen no jpg
    await stack.put('pj.jpg', 'jpg'); // its event lost

    await rebuildNow(stack);
    expect(await stack.user('pj')).toMatchObject({ img_path: `${stack.srcBucket}/pj.png` });
    expect((await stack.db.query('SELECT extension FROM picture_extensions_seen')).rows).toEqual([{ extension: 'jpg' }]);

    await stack.remove('pj.png');
    await reconcileUser((await recordingReconcileDeps(stack)).deps, 'pj'); // as a worker does on the png's removal
    expect(await stack.user('pj')).toMatchObject({ img_path: `${stack.srcBucket}/pj.jpg` });
  });
});
