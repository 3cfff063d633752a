import { createLogger, requestRebuild, selectRebuildJob } from '@userpipe/shared';
import { eventually, TcpProxy, TestStack, userCsv } from '@userpipe/shared/testing';
import { runActiveJob } from './jobRunner';
import { startRebuildService } from './startRebuildService';
import { rebuildNow } from './testRebuild';

describe('rebuild runs', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
    for (let i = 0; i < 40; i++) await stack.put(`r${i}.csv`, userCsv(`R${i}`, 'User', i));
    for (let i = 0; i < 40; i += 2) await stack.put(`r${i}.png`, 'png');
    await rebuildNow(stack);
  });
  afterAll(() => stack.dispose());

  it('in the default mode read no csv body of an unchanged bucket; --full reads them all', async () => {
    // Count the object downloads MinIO actually serves, through a proxy in front of it.
    const proxy = await new TcpProxy(stack.services.minio).start();
    stack.onDispose(() => proxy.stop());
    let csvGets = 0;
    proxy.onRequest = (head) => {
      if (new RegExp(`^GET /${stack.srcBucket}/[^?\\s]+\\.csv `).test(head)) csvGets++;
    };
    const viaProxy = { MINIO_HOST: '127.0.0.1', MINIO_PORT: String(proxy.port) };

    const quiet = await rebuildNow(stack, { settings: viaProxy });
    expect(quiet.summary).toMatchObject({ seen: 40, unchanged: 40, csvReads: 0 });
    expect(csvGets).toBe(0);

    const full = await rebuildNow(stack, { full: true, settings: viaProxy });
    expect(full.summary).toMatchObject({ seen: 40, unchanged: 40, csvReads: 40 });
    expect(csvGets).toBe(40);
  });

  it('two requests at once run one rebuild', async () => {
    const settings = stack.rebuildSettings();
    const deps = { pool: stack.db, minio: stack.minio, settings, logger: createLogger('rebuild', 'silent') };
    const [a, b] = await Promise.all([requestRebuild(stack.db, 'one'), requestRebuild(stack.db, 'two')]);
    expect(a.job.id).toBe(b.job.id);
    const runs = await Promise.all([runActiveJob(deps), runActiveJob(deps)]);
    expect(runs.filter((r) => r !== null)).toHaveLength(1);
    expect((await selectRebuildJob(stack.db, a.job.id))?.state).toBe('succeeded');
  });

  it('the service runs a requested job and records its summary', async () => {
    const service = await startRebuildService(stack.rebuildSettings(), createLogger('rebuild', 'silent'));
    stack.onDispose(() => service.stop());
    await stack.put('r99.csv', userCsv('Requested', 'Later', 99));
    const { job } = await requestRebuild(stack.db, 'api');
    await stack.sendToQueue(`rebuild-${stack.id}`, JSON.stringify({ jobId: job.id }));
    const done = await eventually(async () => {
      const j = await selectRebuildJob(stack.db, job.id);
      expect(j?.state).toBe('succeeded');
      return j!;
    });
    expect(done.summary).toMatchObject({ seen: 41, inserted: 1, unchanged: 40 });
    expect(await stack.user('r99')).toMatchObject({ first_name: 'Requested' });
    expect(service.scheduler.nextRun()?.toISOString()).toMatch(/T03:00:00\.000Z$/);
    expect(await (await fetch(`${service.url}/readyz`)).json()).toMatchObject({ status: 'ready' });
  });
});
