import Papa from 'papaparse';
import { exportOutputCsv } from '@userpipe/shared';
import { TestStack } from '@userpipe/shared/testing';
import { seedUsers, startTestQueryApi } from './testQueryApi';
import type { RunningQueryApi } from './startQueryApi';

/** The user ids of a CSV body, parsed properly (names may hold commas, quotes and newlines). */
const csvIds = (text: string) => Papa.parse<string[]>(text.trimEnd()).data.slice(1).map((row) => row[0]!);

describe('GET /data as CSV, as pages and as one stream', () => {
  let stack: TestStack;
  let api: RunningQueryApi;
  const names = ['Zoë, Jr.', 'O\'Brien "Bob"', 'Ångström', 'plain', 'multi\nline'];

  beforeAll(async () => {
    stack = await TestStack.create();
    api = await startTestQueryApi(stack, { settings: { API_MAX_PAGE_SIZE: '1000' } });
    await seedUsers(
      stack,
      Array.from({ length: 120 }, (_, i) => ({
        user_id: `p${String(i).padStart(3, '0')}`,
        first_name: names[i % names.length]!,
        last_name: `L${i}`,
        birthts: Date.UTC(1950, 0, 1) + i * 86_400_000 * 97,
        img_path: i % 2 ? `src/p${i}.png` : null,
      })),
    );
    await stack.minio.makeBucket(stack.resBucket).catch(() => undefined);
  });
  afterAll(() => stack.dispose());

  it('in CSV is byte for byte what output.csv holds for the same users', async () => {
    await exportOutputCsv(stack.db, stack.minio, { bucket: stack.resBucket, key: 'output.csv' });
    const output = await stack.outputCsv();
    const viaAccept = await fetch(`${api.url}/data`, { headers: { accept: 'text/csv' } });
    expect(viaAccept.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(await viaAccept.text()).toBe(output);
    expect(await (await fetch(`${api.url}/data?format=csv`)).text()).toBe(output);
  });

  it('in CSV filters like JSON', async () => {
    const json = (await (await fetch(`${api.url}/data?is_image_exists=true&min_age=40`)).json()) as { user_id: string }[];
    const csv = await (await fetch(`${api.url}/data?is_image_exists=true&min_age=40&format=csv`)).text();
    expect(csvIds(csv)).toEqual(json.map((u) => u.user_id));
  });

  it('streams every user as one JSON array with named fields', async () => {
    const res = await fetch(`${api.url}/data`);
    const users = (await res.json()) as Record<string, unknown>[];
    expect(users).toHaveLength(120);
    expect(users[1]).toEqual({
      id: expect.any(Number),
      user_id: 'p001',
      first_name: 'O\'Brien "Bob"',
      last_name: 'L1',
      birthdate: new Date(Date.UTC(1950, 0, 1) + 97 * 86_400_000).toISOString(),
      birthts: Date.UTC(1950, 0, 1) + 97 * 86_400_000,
      img_path: 'src/p1.png',
    });
  });

  async function walk(firstUrl: string, between: (page: number) => Promise<void> = async () => undefined) {
    const seen: string[] = [];
    let url: string | undefined = firstUrl;
    for (let page = 0; url; page++) {
      const res: Response = await fetch(`${api.url}${url}`);
      expect(res.status).toBe(200);
      const text = await res.text();
      seen.push(...(url.includes('format=csv') ? csvIds(text) : (JSON.parse(text) as { user_id: string }[]).map((u) => u.user_id)));
      url = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      await between(page);
    }
    return seen;
  }

  it('pages through everyone exactly once with limit and the Link header', async () => {
    const all = ((await (await fetch(`${api.url}/data`)).json()) as { user_id: string }[]).map((u) => u.user_id);
    expect(await walk('/data?limit=7')).toEqual(all);
    expect(await walk('/data?limit=7&format=csv')).toEqual(all);
    expect(await walk('/data?limit=120')).toEqual(all);
  });

  it('visits every row present throughout exactly once while rows come and go between pages', async () => {
    const before = ((await (await fetch(`${api.url}/data`)).json()) as { user_id: string }[]).map((u) => u.user_id);
    const deleted = new Set<string>();
    const seen = await walk('/data?limit=9', async (page) => {
      // Delete one row behind the cursor and one ahead; insert rows on both sides.
      const behind = before[page * 9];
      const ahead = before[page * 9 + 30];
      for (const id of [behind, ahead]) {
        if (id && !deleted.has(id)) {
          deleted.add(id);
          await stack.db.query('DELETE FROM users WHERE user_id = $1', [id]);
        }
      }
      await seedUsers(stack, [
        { user_id: `a${page}`, birthts: 0 },
        { user_id: `p${String(page * 9).padStart(3, '0')}x`, birthts: 0 },
      ]);
    });
    const survivors = before.filter((id) => !deleted.has(id));
    const visitedSurvivors = seen.filter((id) => survivors.includes(id));
    expect(visitedSurvivors).toEqual(survivors);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
