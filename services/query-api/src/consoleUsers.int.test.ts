import type { Page } from 'playwright-core';
import { eventually, type TestStack } from '@userpipe/shared/testing';
import { USERS_PAINTED_MARK, USERS_RENDERED_MARK } from './testBrowser';
import { withConsoleApi } from './testConsoleApi';
import { seedUsers } from './testQueryApi';
import { solidPng } from '@userpipe/shared';

// The console's users and rejections views in headless Chromium, against a real query API,
// Postgres and MinIO. One browser for the file; each test a fresh context.

const HOSTILE = '<img src=x onerror=alert(1)>';
const NAMES = [
  ['Renée', 'N\'Diaye'],
  ['Jürgen', 'Brontë'],
  ['Zoë', 'O\'Brien, Jr.'],
  ['Ångström', 'Ødegaard'],
  ['Kai', 'D\'Angelo'],
  ['Łukasz', 'Nowak'],
  ['Siobhán', 'Ní Bhriain'],
  ['Chloé', 'Dupont'],
];

/** Users with a picture, as uploaded: every third user. */
const withPicture = (i: number) => i % 3 === 0;
const userId = (i: number) => `u${String(i).padStart(3, '0')}`;

/** 121 users (one with a hostile name), their pictures, and three rejected files. */
async function seed(stack: TestStack): Promise<void> {
  const users = Array.from({ length: 120 }, (_, i) => ({
    user_id: userId(i),
    first_name: NAMES[i % NAMES.length]![0]!,
    last_name: NAMES[i % NAMES.length]![1]!,
    // Ages spread from 6 to about 85.
    birthts: Date.UTC(1940, 0, 1) + i * 250 * 86_400_000,
    img_path: withPicture(i) ? `${stack.srcBucket}/${userId(i)}.png` : null,
  }));
  users.push({ user_id: 'zz-hostile', first_name: HOSTILE, last_name: '<script>alert(2)</script>', birthts: Date.UTC(1990, 0, 1), img_path: null });
  await seedUsers(stack, users);
  for (const [i, u] of users.entries()) if (u.img_path) await stack.put(`${u.user_id}.png`, solidPng(64, 64, [40 + ((i * 37) % 200), 90 + ((i * 53) % 150), 160]));
  await stack.db.query(
    `INSERT INTO rejected_files (key, user_id, etag, reason) VALUES
       ('a1.csv', 'a1', 'e1', 'birthts "yesterday" is not a whole number of milliseconds since 1970-01-01 UTC'),
       ('b2.csv', 'b2', 'e2', 'fields are separated by semicolons; a user file is comma-separated (header first_name,last_name,birthts)'),
       ('c3.csv', 'c3', 'e3', $1)`,
    [`first_name is empty ${HOSTILE}`],
  );
}

describe('the console: users and rejections', () => {
  const api = withConsoleApi({ seed });
  const { browser } = api;

  /** Opens the console at a view and waits until its results are drawn. */
  async function open(hash: string): Promise<Page> {
    const page = await api.open(hash);
    await page.waitForSelector('.results table, .results .empty, .field-error:not(:empty), #users-error:not(:empty)');
    return page;
  }

  /** Waits until the first row of the users table is one `wanted` accepts (a page has been drawn). */
  const firstRow = (page: Page, wanted: (id: string | null) => boolean) =>
    eventually(async () => expect(wanted(await page.locator('table.users tbody tr').first().getAttribute('data-user-id'))).toBe(true));
  const shownIds = (page: Page) => page.$$eval('table.users tbody tr', (rows) => rows.map((r) => r.getAttribute('data-user-id')!));
  const apiIds = async (query: string) => ((await (await fetch(`${api.url}/data?${query}`)).json()) as { user_id: string }[]).map((u) => u.user_id);

  it('loads the users view: 100 users, their count, a CSV link, under a policy without inline script', async () => {
    const page = await browser.page();
    const response = await page.goto(`${api.url}/`);
    const csp = response!.headers()['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.waitForSelector('table.users');
    expect(await shownIds(page)).toEqual(await apiIds('limit=100'));
    expect(await page.textContent('#user-count')).toBe('121 users');
    expect(await page.getAttribute('#csv-link', 'href')).toBe('/data?format=csv');
    expect(await page.getAttribute('nav.views a[aria-current="page"]', 'data-view')).toBe('users');
    // The console benchmark times the first render by these marks: rows in the page, then painted.
    expect(await page.evaluate(`performance.getEntriesByName(${JSON.stringify(USERS_RENDERED_MARK)}).length`)).toBe(1);
    await eventually(async () => expect(await page.evaluate(`performance.getEntriesByName(${JSON.stringify(USERS_PAINTED_MARK)}).length`)).toBe(1));
    await browser.screenshot(page, 'users');
    expect(browser.problems).toEqual([]);
  });

  it('filters by picture and age, with the filter in the URL, and keeps it on reload', async () => {
    const page = await open('#/users');
    await page.selectOption('#filter-is_image_exists', 'true');
    await page.fill('#filter-min_age', '30');
    await page.fill('#filter-max_age', '60.5');
    await page.click('#user-filters button[type="submit"]');
    await page.waitForURL(/min_age=30/);
    await page.waitForSelector('table.users');
    expect(new URL(page.url()).hash).toBe('#/users?is_image_exists=true&min_age=30&max_age=60.5&limit=100');
    const expected = await apiIds('is_image_exists=true&min_age=30&max_age=60.5&limit=100');
    expect(expected.length).toBeGreaterThan(3);
    expect(await shownIds(page)).toEqual(expected);
    const ages = await page.$$eval('td[data-field="age"]', (cells) => cells.map((c) => Number(c.textContent)));
    expect(ages.every((age) => age >= 30 && age <= 60)).toBe(true);
    expect(await page.getAttribute('#csv-link', 'href')).toBe('/data?is_image_exists=true&min_age=30&max_age=60.5&format=csv');
    expect(await page.textContent('#user-count')).toBe(`${expected.length} users`);

    await page.reload();
    await page.waitForSelector('table.users');
    expect(await shownIds(page)).toEqual(expected);
    expect(await page.inputValue('#filter-min_age')).toBe('30');
    expect(await page.inputValue('#filter-is_image_exists')).toBe('true');
    await browser.screenshot(page, 'users-filtered');
    expect(browser.problems).toEqual([]);
  });

  it('shows the API\'s own message beside a bad min_age', async () => {
    const page = await open('#/users');
    await page.fill('#filter-min_age', 'thirty');
    await page.click('#user-filters button[type="submit"]');
    const message = await (await page.waitForSelector('[data-error-for="min_age"]:not(:empty)')).textContent();
    const api400 = (await (await fetch(`${api.url}/data?min_age=thirty&limit=100`)).json()) as { message: string };
    expect(message).toBe(api400.message);
    expect(message).toMatch(/^min_age must be a non-negative number of years/);
    expect(await page.$$('table.users tbody tr')).toHaveLength(0);
    await browser.screenshot(page, 'users-bad-min-age');
  });

  it('pages forward and back with the Link header\'s cursors', async () => {
    const page = await open('#/users?limit=25');
    const first = await shownIds(page);
    expect(first).toEqual((await apiIds('limit=25')));
    expect(await page.isDisabled('button[data-page="prev"]')).toBe(true);

    await page.click('button[data-page="next"]');
    await firstRow(page, (id) => id !== first[0]);
    const second = await shownIds(page);
    expect(second).toEqual(await apiIds(`limit=25&cursor=${first.at(-1)}`));
    expect(new URL(page.url()).hash).toBe(`#/users?limit=25&cursor=${first.at(-1)}`);

    await page.click('button[data-page="next"]');
    await firstRow(page, (id) => id !== second[0]);
    await page.click('button[data-page="prev"]');
    await firstRow(page, (id) => id === second[0]);
    expect(await shownIds(page)).toEqual(second);
    await page.click('button[data-page="prev"]');
    await firstRow(page, (id) => id === first[0]);
    expect(await shownIds(page)).toEqual(first);
    expect(await page.isDisabled('button[data-page="prev"]')).toBe(true);
  });

  it('loads a thumbnail for a user with a picture, and shows none for a user without', async () => {
    const page = await open('#/users?limit=25');
    const img = await page.waitForSelector('tr[data-user-id="u003"] img.thumb');
    await img.scrollIntoViewIfNeeded();
    // naturalWidth is 0 until the picture has loaded and decoded.
    const size = () => img.evaluate((el) => [(el as unknown as { naturalWidth: number }).naturalWidth, (el as unknown as { naturalHeight: number }).naturalHeight]);
    await eventually(async () => expect(await size()).toEqual([64, 64]));
    expect(await img.getAttribute('loading')).toBe('lazy');
    expect(await page.$$('tr[data-user-id="u004"] img')).toHaveLength(0);
    expect(await page.textContent('tr[data-user-id="u004"] td.picture')).toBe('—');
    expect(browser.problems).toEqual([]);
  });

  it('asks for no thumbnail before the rows are on screen', async () => {
    const page = await browser.page();
    await page.goto(`${api.url}/#/users`);
    const paintedAt = await eventually(async () => {
      const at = await page.evaluate<number | null>(`performance.getEntriesByName(${JSON.stringify(USERS_PAINTED_MARK)})[0]?.startTime ?? null`);
      expect(at).not.toBeNull();
      return at!;
    });
    const askedAt = () => page.evaluate<number[]>(`performance.getEntriesByType('resource').filter((r) => r.name.includes('/image')).map((r) => r.startTime)`);
    const asked = await eventually(async () => {
      const times = await askedAt();
      expect(times.length).toBeGreaterThan(0); // the pictures of the first rows, in view
      return times;
    });
    expect(Math.min(...asked)).toBeGreaterThanOrEqual(paintedAt);
    // Then every thumbnail has its source, and its alt text with it.
    expect(await page.$$('img.thumb:not([src])')).toHaveLength(0);
    expect(await page.getAttribute('tr[data-user-id="u003"] img.thumb', 'alt')).toBe('picture of u003');
    expect(browser.problems).toEqual([]);
  });

  it('renders a hostile name as the characters it is made of', async () => {
    const dialogs: string[] = [];
    const page = await browser.page();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${api.url}/#/users?cursor=u119`);
    const cell = await page.waitForSelector('tr[data-user-id="zz-hostile"] td[data-field="first_name"]');
    expect(await cell.textContent()).toBe(HOSTILE);
    expect(await page.textContent('tr[data-user-id="zz-hostile"] td[data-field="last_name"]')).toBe('<script>alert(2)</script>');
    expect(await page.$$('img[src="x"], tr[data-user-id="zz-hostile"] script')).toHaveLength(0);
    await page.waitForTimeout(200); // an injected onerror would have fired by now
    expect(dialogs).toEqual([]);
    await browser.screenshot(page, 'users-hostile-name');
  });

  it('lists the rejected files with their reasons, paged, the reasons as text', async () => {
    const page = await open('#/rejections?limit=2');
    const keys = () => page.$$eval('table.rejections tbody tr', (rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(await keys()).toEqual(['a1.csv', 'b2.csv']);
    expect(await page.textContent('tr[data-key="b2.csv"] td[data-field="reason"]')).toMatch(/^fields are separated by semicolons/);
    await page.click('button[data-page="next"]');
    await page.waitForSelector('tr[data-key="c3.csv"]');
    expect(await keys()).toEqual(['c3.csv']);
    expect(await page.textContent('tr[data-key="c3.csv"] td[data-field="reason"]')).toBe(`first_name is empty ${HOSTILE}`);
    expect(await page.$$('img[src="x"]')).toHaveLength(0);
    await browser.screenshot(page, 'rejections');
    expect(browser.problems).toEqual([]);
  });
});
