import { eventually, TcpProxy, TestStack, userCsv } from '@userpipe/shared/testing';
import { startTestWorker } from './testWorker';

// Two replicas consume one queue; the per-user lock, taken before the bucket is read, makes
// the last reconcile read the newest object, so the row always ends at the last upload.
describe('two workers and many quick updates to one user', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
    // A slow link to MinIO widens the gap between reading the bucket and committing, where
    // an unlocked reconcile would let an older read overwrite a newer one.
    const slowMinio = await new TcpProxy(stack.services.minio, { latencyMs: 5 }).start();
    stack.onDispose(() => slowMinio.stop());
    const viaSlowLink = { MINIO_HOST: '127.0.0.1', MINIO_PORT: String(slowMinio.port) };
    await startTestWorker(stack, viaSlowLink);
    await startTestWorker(stack, viaSlowLink);
  });
  afterAll(() => stack.dispose());

  it('ends with the row equal to the last of 50 uploads, never going back to an older one', async () => {
    // Watch the row the whole time: with the lock, each reconcile reads a newer upload than
    // the one before it, so the versions seen only ever go up.
    const seen: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const { rows } = await stack.db.query<{ v: number }>(`SELECT (extract(epoch FROM birthdate) * 1000)::bigint AS v FROM users WHERE user_id = '42'`).catch(() => ({ rows: [] }));
        if (rows[0]) seen.push(Number(rows[0].v));
      }
    })();
    for (let i = 1; i <= 50; i++) await stack.put('42.csv', userCsv(`Name${i}`, 'Racer', 1000 + i));
    await eventually(async () =>
      expect(await stack.user('42')).toEqual({ user_id: '42', first_name: 'Name50', last_name: 'Racer', birthts: 1050, img_path: null }),
    );
    await stack.queueSettled();
    watching = false;
    await watcher;
    expect(await stack.users()).toHaveLength(1);
    expect(await stack.user('42')).toMatchObject({ first_name: 'Name50' });
    const regressions = seen.filter((v, i) => i > 0 && v < seen[i - 1]!);
    expect(regressions).toEqual([]);
  });

  it('ends right when uploads race from several clients at once', async () => {
    await Promise.all(
      Array.from({ length: 5 }, async (_, client) => {
        for (let i = 0; i < 10; i++) await stack.put(`race-${client}.csv`, userCsv(`C${client}`, `N${i}`, i));
      }),
    );
    await stack.put('42.png', 'png');
    await eventually(async () => {
      const users = await stack.users();
      expect(users.filter((u) => u.user_id.startsWith('race-')).map((u) => u.last_name)).toEqual(['N9', 'N9', 'N9', 'N9', 'N9']);
      expect(users.find((u) => u.user_id === '42')?.img_path).toBe(`${stack.srcBucket}/42.png`);
    });
  });
});
