import path from 'node:path';
import { asEnv, eventually, runServiceProcess, TestStack, userCsv } from '@userpipe/shared/testing';

const MAIN = path.resolve(__dirname, '../dist/main.js');

describe('the ingest-worker process', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
  });
  afterAll(() => stack.dispose());

  it('refuses to start without a setting, naming it', async () => {
    const env = asEnv(stack.settings());
    delete env.POSTGRES_HOST;
    env.WORKER_PREFETCH = 'lots';
    const worker = runServiceProcess(MAIN, env);
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toMatch(/POSTGRES_HOST is required but not set/);
    expect(worker.output()).toMatch(/WORKER_PREFETCH/);
  });

  it('on SIGTERM stops consuming, finishes what it holds, and exits cleanly', async () => {
    const env = { ...asEnv(stack.settings({ LOG_LEVEL: 'info' })), WORKER_HTTP_PORT: '0' };
    const worker = runServiceProcess(MAIN, env);
    await eventually(() => expect(worker.output()).toMatch(/ingest worker started/), { timeoutMs: 30_000 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => stack.put(`t${i}.csv`, userCsv('Term', `User${i}`, i))));
    await eventually(async () => expect((await stack.users()).length).toBeGreaterThan(0));
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toMatch(/ingest worker stopped/);
    // Whatever it had not taken is still queued for the next worker; nothing was lost.
    const rest = await stack.messageCount(stack.queue);
    const done = (await stack.users()).length;
    expect(done + rest).toBeGreaterThanOrEqual(20);
  });
});
