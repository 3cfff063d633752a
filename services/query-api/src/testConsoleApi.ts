import path from 'node:path';
import type { Page } from 'playwright-core';
import type { QueryApiSettings, RebuildSettings } from '@userpipe/shared';
import { eventually, runServiceProcess, TestStack } from '@userpipe/shared/testing';
import type { RunningQueryApi } from './startQueryApi';
import { TestBrowser } from './testBrowser';
import { freePort, startTestQueryApi } from './testQueryApi';

const REBUILD_MAIN = path.resolve(__dirname, '../../rebuild/dist/main.js');

export interface ConsoleApiOptions {
  /** The query API's settings, over the test stack's. */
  settings?: Partial<Record<keyof QueryApiSettings, string>>;
  /** Whether the tests drive the console in a browser (one headless Chromium for the file). Default true. */
  browser?: boolean;
  /**
   * Runs the rebuild service as its own process (the built one) with these settings over the
   * test stack's, ready before the tests; the API reports its health as `rebuild`.
   */
  rebuild?: Partial<Record<keyof RebuildSettings, string>>;
  /** What the tests' database and buckets hold: put in once the API runs. */
  seed?: (stack: TestStack) => Promise<void>;
}

/** A test file's console: the stack, the API on it and the browser. Ready when the tests run. */
export interface ConsoleApi {
  readonly stack: TestStack;
  readonly api: RunningQueryApi;
  /** The API's address, as RunningQueryApi's url. */
  readonly url: string;
  /** Its pages' console errors and failed requests are `browser.problems`. */
  readonly browser: TestBrowser;
  /** A fresh page (a fresh browser context) at the console's `hash`, such as `#/jobs`. */
  open(hash: string): Promise<Page>;
}

/**
 * Declares a test file's console, in a describe block: before its tests a test stack, a real
 * query API on it (with the rebuild service when asked), what `seed` puts in and one headless
 * Chromium; after them, all of it stopped and removed. What it returns is ready once the tests run.
 */
export function withConsoleApi(options: ConsoleApiOptions = {}): ConsoleApi {
  let stack: TestStack | undefined;
  let api: RunningQueryApi | undefined;
  const browser = new TestBrowser();
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('withConsoleApi: the console is set up before the tests (beforeAll), not yet');
    return value;
  };

  beforeAll(async () => {
    stack = await TestStack.create();
    const rebuildPort = options.rebuild && (await freePort());
    const services = rebuildPort ? { API_STATUS_SERVICES: `rebuild=http://127.0.0.1:${rebuildPort}` } : {};
    api = await startTestQueryApi(stack, { settings: { ...services, ...options.settings } });
    if (rebuildPort) await startRebuild(stack, { ...options.rebuild, REBUILD_HTTP_PORT: String(rebuildPort) });
    await options.seed?.(stack);
    if (options.browser ?? true) await browser.start();
  });
  afterAll(async () => {
    await browser.stop();
    await stack?.dispose();
  });

  return {
    get stack() {
      return ready(stack);
    },
    get api() {
      return ready(api);
    },
    get url() {
      return ready(api).url;
    },
    browser,
    async open(hash) {
      const page = await browser.page();
      await page.goto(`${ready(api).url}/${hash}`);
      return page;
    },
  };
}

/** The built rebuild service on the stack, ready (its /readyz answers 200); stopped when the stack is disposed. */
async function startRebuild(stack: TestStack, settings: Partial<Record<keyof RebuildSettings, string>> & { REBUILD_HTTP_PORT: string }): Promise<void> {
  const rebuild = runServiceProcess(REBUILD_MAIN, stack.rebuildSettings(settings));
  stack.onDispose(async () => {
    rebuild.child.kill('SIGTERM');
    await rebuild.exited;
  });
  await eventually(async () => expect((await fetch(`http://127.0.0.1:${settings.REBUILD_HTTP_PORT}/readyz`)).status).toBe(200), { timeoutMs: 30_000 });
}
