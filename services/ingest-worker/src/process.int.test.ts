import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { eventually, TestStack, userCsv } from '@userpipe/shared/testing';

// The built entry point, run as the process it is in production (npm run build first; make
// test does). Settings come from the environment only.
const MAIN = path.resolve(__dirname, '../dist/main.js');

function run(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function asEnv(settings: object): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
}

describe('the ingest-worker process', () => {
  let stack: TestStack;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
    stack = await TestStack.create();
  });
  afterAll(() => stack.dispose());

  it('refuses to start without a setting, naming it', async () => {
    const env = asEnv(stack.settings());
    delete env.POSTGRES_HOST;
    env.WORKER_PREFETCH = 'lots';
    const worker = run({ PATH: process.env.PATH, ...env });
    expect(await worker.exited).toBe(2);
    expect(worker.output()).toMatch(/POSTGRES_HOST is required but not set/);
    expect(worker.output()).toMatch(/WORKER_PREFETCH/);
  });

  it('on SIGTERM stops consuming, finishes what it holds, and exits cleanly', async () => {
    const env = { ...asEnv(stack.settings({ LOG_LEVEL: 'info' })), WORKER_HTTP_PORT: '0' };
    const worker = run({ PATH: process.env.PATH, ...env });
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
