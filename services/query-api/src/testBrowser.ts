import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const ROOT = path.resolve(__dirname, '../../..');
/** Debian's Chromium, installed by infra/local/chromium.sh; never a browser of playwright's own. */
export const CHROMIUM = '/usr/bin/chromium';
/** The performance mark the users view sets once its rows are drawn (console/src/usersView.ts); the console benchmark reads it. */
export const USERS_RENDERED_MARK = 'console:users-rendered';
/** The mark it sets at the time Chromium reports those rows painted on screen (Element Timing); the benchmark's first render. */
export const USERS_PAINTED_MARK = 'console:users-painted';
/** Screenshots of the browser tests (git-ignored). */
export const SCREENSHOTS_DIR = path.join(ROOT, 'test-output/console');

/**
 * Without the background-networking flags Chromium reaches for Google's servers at start, which
 * this machine's closed network refuses; --no-sandbox because tests may run as root.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Chromium headless, installed first when missing (infra/local/chromium.sh, as the stack's scripts install Postgres). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    const install = spawnSync('bash', [path.join(ROOT, 'infra/local/chromium.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (install.status !== 0) throw new Error(`infra/local/chromium.sh failed (exit ${install.status}); the console's browser tests need ${CHROMIUM}`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * One browser for a test file, a fresh context (cookies, cache, storage) for each test. Every
 * page's console errors and failed requests are collected: a test can assert there were none.
 */
export class TestBrowser {
  private browser: Browser | undefined;
  private context: BrowserContext | undefined;
  readonly problems: string[] = [];

  async start(): Promise<void> {
    this.browser = await launchBrowser();
  }

  async page(): Promise<Page> {
    await this.context?.close();
    this.problems.length = 0;
    this.context = await this.browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await this.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') this.problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (err) => this.problems.push(`page error: ${err.message}`));
    return page;
  }

  /** Saves what the page shows as test-output/console/<name>.png. */
  async screenshot(page: Page, name: string): Promise<string> {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }

  async stop(): Promise<void> {
    await this.context?.close().catch(() => undefined);
    await this.browser?.close().catch(() => undefined);
  }
}
