import { withConsoleApi } from './testConsoleApi';

// How the query API serves its console, and keeps it same-origin (no browser needed here).
describe('the console as the API serves it', () => {
  const api = withConsoleApi({ browser: false });

  it('serves the page at / under a policy that allows only its own scripts, styles and pictures', async () => {
    const res = await fetch(`${api.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = res.headers.get('content-security-policy')!;
    expect(policy.split('; ')).toEqual(expect.arrayContaining(["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]));
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    // One script: the console's modules, bundled, so the page costs two requests before it asks for data.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/console/main.js">']);
    expect(html).not.toContain('modulepreload');
    // No inline script: every <script> names its source.
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
  });

  it('serves the compiled modules as one script and the style sheet as CSS, revalidated with their ETag', async () => {
    const js = await fetch(`${api.url}/console/main.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('no-cache');
    const script = await js.text();
    expect(script).not.toMatch(/^\s*import\b/m); // nothing more to fetch
    expect(script).toContain('function mountUsers');
    const again = await fetch(`${api.url}/console/main.js`, { headers: { 'if-none-match': js.headers.get('etag')! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${api.url}/console/console.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves no module it does not have, nor those bundled into main.js', async () => {
    expect((await fetch(`${api.url}/console/nothing.js`)).status).toBe(404);
    expect((await fetch(`${api.url}/console/usersView.js`)).status).toBe(404);
  });

  it.each(['/console/format.test.js', '/console/main.d.ts', '/console/..%2Fmain.js', '/console/main.js.map'])('names no other kind of file: %s is a 400', async (path) => {
    const res = await fetch(`${api.url}${path}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ parameter: 'file' });
  });

  it('keeps the console and the API out of other sites\' pages', async () => {
    const res = await fetch(`${api.url}/data?limit=1`);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    [{ 'sec-fetch-site': 'cross-site' }, /another site/],
    [{ origin: 'http://evil.example' }, /another origin/],
  ])('refuses a rebuild a page of another site asks for (%j)', async (headers, message) => {
    const res = await fetch(`${api.url}/data`, { method: 'POST', headers });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ statusCode: 403, message: expect.stringMatching(message) });
    expect((await api.stack.db.query('SELECT count(*)::int AS n FROM rebuild_jobs')).rows[0].n).toBe(0);
  });

  it('takes a rebuild the console asks for, on its own origin', async () => {
    const origin = new URL(api.url).origin;
    const res = await fetch(`${api.url}/data`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin', origin } });
    expect(res.status).toBe(202);
  });

  it('leaves the console out of the OpenAPI document, which lists every new operation', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/data', '/data/count', '/jobs', '/jobs/{id}', '/rejections', '/status', '/users/{user_id}/image']));
    expect(Object.keys(doc.paths).filter((p) => p === '/' || p.startsWith('/console'))).toEqual([]);
    expect(Object.keys(doc.paths['/data']!.post!.responses)).toContain('403');
  });
});
