import { TestStack } from '@userpipe/shared/testing';
import type { RunningQueryApi } from './startQueryApi';
import { seedUsers, startTestQueryApi } from './testQueryApi';

// The lists the console pages through: GET /jobs and GET /rejections page like GET /data, and
// every page's Link header goes forward (rel="next") and back (rel="prev").

const linkOf = (res: Response, rel: 'next' | 'prev') => new RegExp(`<([^>]+)>; rel="${rel}"`).exec(res.headers.get('link') ?? '')?.[1];

describe('paged lists', () => {
  let stack: TestStack;
  let api: RunningQueryApi;
  const get = (path: string) => fetch(`${api.url}${path}`);

  /** Follows one relation from `start` to the end: the ids of every page, in the order seen. */
  async function walk(start: string, rel: 'next' | 'prev', ids: (body: unknown) => string[]): Promise<{ pages: string[][]; last: string }> {
    const pages: string[][] = [];
    let url: string | undefined = start;
    let last = start;
    while (url) {
      const res = await get(url);
      expect(res.status).toBe(200);
      pages.push(ids(await res.json()));
      last = url;
      url = linkOf(res, rel);
    }
    return { pages, last };
  }

  beforeAll(async () => {
    stack = await TestStack.create();
    api = await startTestQueryApi(stack, { settings: { API_MAX_PAGE_SIZE: '50' } });
    await seedUsers(
      stack,
      Array.from({ length: 23 }, (_, i) => ({ user_id: `u${String(i).padStart(2, '0')}`, birthts: Date.UTC(1960 + i, 5, 1), img_path: i % 3 === 0 ? `src/u${i}.png` : null })),
    );
    // 25 rejections, keys r00.csv..r24.csv.
    await stack.db.query(
      `INSERT INTO rejected_files (key, user_id, etag, reason, rejected_at)
       SELECT 'r' || lpad(i::text, 2, '0') || '.csv', 'r' || lpad(i::text, 2, '0'), 'e' || i, 'reason "' || i || E'"\\n\\\\', timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute'
         FROM generate_series(0, 24) AS i`,
    );
    // 25 finished jobs, one a minute; the newest first in GET /jobs.
    await stack.db.query(
      `INSERT INTO rebuild_jobs (state, mode, requested_at, started_at, finished_at, summary)
       SELECT 'succeeded', 'default', timestamptz '2026-02-01 00:00:00+00' + i * interval '1 minute', timestamptz '2026-02-01 00:00:00+00' + i * interval '1 minute',
              timestamptz '2026-02-01 00:00:00+00' + i * interval '1 minute' + interval '5 seconds', jsonb_build_object('seen', i)
         FROM generate_series(1, 25) AS i`,
    );
  });
  afterAll(() => stack.dispose());

  describe('GET /data', () => {
    const ids = (body: unknown) => (body as { user_id: string }[]).map((u) => u.user_id);

    it('walks back from the last page to the first with rel="prev", seeing every page it saw going forward', async () => {
      const forward = await walk('/data?limit=5&is_image_exists=false', 'next', ids);
      const backward = await walk(forward.last, 'prev', ids);
      expect(backward.pages.reverse()).toEqual(forward.pages);
      expect(backward.last).toBe('/data?limit=5&is_image_exists=false');
    });

    it('gives no rel="prev" on the first page, and a first page as prev when fewer than a page precede', async () => {
      expect(linkOf(await get('/data?limit=5'), 'prev')).toBeUndefined();
      expect(linkOf(await get('/data?limit=5&cursor=u02'), 'prev')).toBe('/data?limit=5');
      expect(linkOf(await get('/data?limit=5&cursor=u12'), 'prev')).toBe('/data?limit=5&cursor=u07');
    });

    it('links CSV pages both ways too', async () => {
      const res = await get('/data?limit=5&cursor=u12&format=csv');
      expect(linkOf(res, 'prev')).toBe('/data?limit=5&cursor=u07&format=csv');
      expect(linkOf(res, 'next')).toBe('/data?limit=5&cursor=u17&format=csv');
    });
  });

  describe('GET /data/count', () => {
    it('counts the users a filter matches', async () => {
      expect(await (await get('/data/count')).json()).toEqual({ count: 23, capped: false });
      expect(await (await get('/data/count?is_image_exists=true')).json()).toEqual({ count: 8, capped: false });
      const json = (await (await get('/data?is_image_exists=false&max_age=45')).json()) as unknown[];
      expect(await (await get('/data/count?is_image_exists=false&max_age=45')).json()).toEqual({ count: json.length, capped: false });
    });

    it('rejects what GET /data rejects, naming the parameter, and takes no paging', async () => {
      for (const [query, parameter] of [
        ['min_age=thirty', 'min_age'],
        ['limit=5', 'limit'],
        ['cursor=u01', 'cursor'],
      ]) {
        const res = await get(`/data/count?${query}`);
        expect([query, res.status]).toEqual([query, 400]);
        expect(await res.json()).toMatchObject({ parameter });
      }
    });
  });

  describe('GET /rejections', () => {
    const keys = (body: unknown) => (body as { key: string }[]).map((r) => r.key);
    const all = Array.from({ length: 25 }, (_, i) => `r${String(i).padStart(2, '0')}.csv`);

    it('without a limit streams every rejection in key order, as the pages hold them', async () => {
      const res = await get('/rejections');
      const body = (await res.json()) as Record<string, string>[];
      expect(keys(body)).toEqual(all);
      expect(body[3]).toEqual({ key: 'r03.csv', user_id: 'r03', etag: 'e3', reason: 'reason "3"\n\\', rejected_at: '2026-01-01T00:03:00.000Z' });
      const paged = (await (await get('/rejections?limit=4&cursor=r02.csv')).json()) as unknown[];
      expect(paged[0]).toEqual(body[3]);
    });

    it('streams what follows a cursor when given one without a limit', async () => {
      expect(keys(await (await get('/rejections?cursor=r21.csv')).json())).toEqual(['r22.csv', 'r23.csv', 'r24.csv']);
    });

    it('pages forward and back with the Link header', async () => {
      const forward = await walk('/rejections?limit=7', 'next', keys);
      expect(forward.pages.map((p) => p.length)).toEqual([7, 7, 7, 4]);
      expect(forward.pages.flat()).toEqual(all);
      const backward = await walk(forward.last, 'prev', keys);
      expect(backward.pages.reverse()).toEqual(forward.pages);
    });

    it.each([
      ['limit=0', 'limit', /whole number of rejections per page/],
      ['limit=51', 'limit', /at most the maximum page size/],
      ['cursor=..', 'cursor', /key of a rejected file/],
      ['page=2', 'page', /unknown parameter "page"/],
    ])('rejects %s, naming %s', async (query, parameter, message) => {
      const res = await get(`/rejections?${query}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ parameter, message: expect.stringMatching(message) });
    });
  });

  describe('GET /jobs', () => {
    const requested = (body: unknown) => (body as { requested_at: string }[]).map((j) => j.requested_at.slice(11, 16));
    /** The minutes the jobs were requested at, newest first: 00:25 down to 00:01. */
    const minutes = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => `00:${String(from - i).padStart(2, '0')}`);

    it('lists recent jobs first, 20 by default, each with its summary and no progress once done', async () => {
      const res = await get('/jobs');
      const jobs = (await res.json()) as { summary: object; progress: unknown; state: string }[];
      expect(requested(jobs)).toEqual(minutes(25, 6));
      expect(jobs[0]).toMatchObject({ state: 'succeeded', summary: { seen: 25 }, progress: null });
      expect(linkOf(res, 'next')).toMatch(/^\/jobs\?cursor=[0-9a-f-]{36}$/);
    });

    it('pages forward to older jobs and back to newer ones', async () => {
      const forward = await walk('/jobs?limit=10', 'next', requested);
      expect(forward.pages).toEqual([minutes(25, 16), minutes(15, 6), minutes(5, 1)]);
      const backward = await walk(forward.last, 'prev', requested);
      expect(backward.pages.reverse()).toEqual(forward.pages);
    });

    it('has empty pages after an id no job has', async () => {
      const res = await get('/jobs?cursor=00000000-0000-4000-8000-000000000000');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
    });

    it('gives a running job its progress: users done of those expected, rate and time left', async () => {
      const { rows } = await stack.db.query<{ id: string }>(
        `INSERT INTO rebuild_jobs (state, mode, requested_at, started_at, summary)
         VALUES ('running', 'full', now(), now() - interval '10 seconds', '{"seen": 40, "inserted": 3, "unchanged": 7}') RETURNING id`,
      );
      try {
        const job = (await (await get(`/jobs/${rows[0]!.id}`)).json()) as { progress: { done: number; total: number; per_second: number; eta_seconds: number } };
        // 10 done in about 10 s; 40 seen in the bucket, more than the 23 users Postgres holds.
        expect(job.progress).toMatchObject({ done: 10, total: 40 });
        expect(job.progress.per_second).toBeGreaterThan(0.5);
        expect(job.progress.per_second).toBeLessThanOrEqual(1);
        expect(job.progress.eta_seconds).toBeGreaterThanOrEqual(30);
        const listed = (await (await get('/jobs?limit=1')).json()) as { id: string; progress: unknown }[];
        expect(listed[0]).toMatchObject({ id: rows[0]!.id, progress: { done: 10, total: 40 } });
      } finally {
        await stack.db.query(`UPDATE rebuild_jobs SET state = 'failed', finished_at = now() WHERE id = $1`, [rows[0]!.id]);
      }
    });

    it.each([
      ['cursor=12', 'cursor', /job id \(a UUID\)/],
      ['limit=abc', 'limit', /whole number of jobs per page/],
    ])('rejects %s, naming %s', async (query, parameter, message) => {
      const res = await get(`/jobs?${query}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ parameter, message: expect.stringMatching(message) });
    });
  });
});
