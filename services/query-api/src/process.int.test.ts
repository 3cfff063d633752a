import path from 'node:path';
import { asEnv, eventually, runServiceProcess, TestStack } from '@userpipe/shared/testing';
import { RawGet } from './rawHttp';
import { seedGeneratedUsers } from './testQueryApi';

const MAIN = path.resolve(__dirname, '../dist/main.js');
const SHUTDOWN_MS = 1500;

describe('the query-api process', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.create();
    await stack.migrate();
    await seedGeneratedUsers(stack, 120_000); // a full reply far larger than the socket buffers
  });
  afterAll(() => stack.dispose());

  it('refuses to start without a setting, naming it', async () => {
    const env = asEnv(stack.queryApiSettings());
    delete env.QUERY_POSTGRES_USER;
    env.API_SHUTDOWN_TIMEOUT_MS = 'soon';
    const api = runServiceProcess(MAIN, env);
    expect(await api.exited).toBe(2);
    expect(api.output()).toMatch(/QUERY_POSTGRES_USER is required but not set/);
    expect(api.output()).toMatch(/API_SHUTDOWN_TIMEOUT_MS/);
  });

  it('on SIGTERM stops accepting, cuts off replies still stuck at the deadline, and exits cleanly', async () => {
    const settings = stack.queryApiSettings({ LOG_LEVEL: 'info', API_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_MS), API_STALL_TIMEOUT_MS: '600000' });
    const api = runServiceProcess(MAIN, settings);
    const url = await eventually(() => /"url":"(http:[^"]+)"/.exec(api.output())![1]!, { timeoutMs: 30_000 });
    // Clients that stopped reading: without a deadline they would hold the process for ever.
    const stuck = Array.from({ length: 3 }, () => new RawGet(url, '/data', { holdAtFirstByte: true }));
    for (const client of stuck) await client.untilFirstByte();
    const signalled = Date.now();
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    // Well inside a generous bound, so only a shutdown that ignores its deadline fails here.
    expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_MS + 8000);
    expect(api.output()).toMatch(/shutdown deadline passed/);
    for (const client of stuck) {
      await client.readToEnd();
      expect(client.complete).toBe(false);
    }
  });
});
