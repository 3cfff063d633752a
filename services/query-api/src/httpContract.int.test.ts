import http from 'node:http';
import { TestStack } from '@userpipe/shared/testing';
import { seedUsers, startTestQueryApi } from './testQueryApi';
import type { RunningQueryApi } from './startQueryApi';

// What any client may send, and what it gets back: never a 500, never an internal error code,
// and only statuses the OpenAPI document lists.
describe('the HTTP contract', () => {
  let stack: TestStack;
  let api: RunningQueryApi;
  const job = '00000000-0000-4000-8000-000000000000';

  beforeAll(async () => {
    stack = await TestStack.create();
    api = await startTestQueryApi(stack);
    await seedUsers(stack, [
      { user_id: 'old', birthts: Date.UTC(1930, 0, 1) },
      { user_id: 'young', birthts: Date.UTC(2010, 0, 1) },
    ]);
  });
  afterAll(() => stack.dispose());

  it.each([
    ['PUT', '/data', 'GET, HEAD, POST'],
    ['PATCH', '/data', 'GET, HEAD, POST'],
    ['DELETE', '/data', 'GET, HEAD, POST'],
    ['TRACE', '/data', 'GET, HEAD, POST'],
    ['DELETE', `/jobs/${job}`, 'GET, HEAD'],
    ['POST', '/rejections', 'GET, HEAD'],
  ])('%s %s is a 405 that says what is allowed', async (method, path, allow) => {
    const res = await request(method, `${api.url}${path}`); // fetch refuses TRACE
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
  });

  it('answers 404 for a path that does not exist, without repeating it', async () => {
    const res = await fetch(`${api.url}/nothing-here-${'x'.repeat(50)}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/nothing-here/);
  });

  it('answers 414 for an overlong job id, without repeating it or an internal code', async () => {
    const id = 'a'.repeat(300);
    const res = await fetch(`${api.url}/jobs/${id}`);
    expect(res.status).toBe(414);
    const body = await res.text();
    expect(body).not.toContain(id);
    expect(body).not.toMatch(/FST_/);
  });

  it.each(['/rejections', `/jobs/${job}`, '/healthz', '/readyz', '/metrics', '/openapi.json'])('GET %s rejects an unknown parameter, naming it', async (path) => {
    const res = await fetch(`${api.url}${path}?bogus=1`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ statusCode: 400, parameter: 'bogus', message: 'unknown parameter "bogus"' });
  });

  it('POST /data rejects an unknown parameter, naming it', async () => {
    const res = await fetch(`${api.url}/data?bogus=1`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ parameter: 'bogus' });
  });

  it.each([
    ['min_age=999', []],
    ['min_age=999.999&format=csv', []],
    ['min_age=999&limit=1', []],
    ['max_age=999.5', ['old', 'young']],
    ['max_age=0', []],
    ['min_age=40&max_age=30', []],
    ['min_age=90.5&max_age=90', []],
    ['min_age=16.5&max_age=16', ['young']],
  ])('every age the document admits is answered: %s', async (query, expected) => {
    const res = await fetch(`${api.url}/data?${query}`);
    expect(res.status).toBe(200);
    const ids = query.includes('format=csv')
      ? (await res.text()).trim().split('\n').slice(1).map((line) => line.split(',')[0])
      : ((await res.json()) as { user_id: string }[]).map((u) => u.user_id);
    expect(ids).toEqual(expected);
  });

  it('POST /data takes {"mode":"full"} for a full re-read', async () => {
    const res = await fetch(`${api.url}/data`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mode":"full"}' });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ job: { mode: 'full', state: 'queued' } });
  });

  it.each([
    ['{"mode":"fast"}', 'mode', /mode must be default or full/],
    ['{"state":"succeeded"}', 'state', /unknown parameter "state"/],
  ])('POST /data with body %s is a 400 naming %s', async (body, parameter, message) => {
    const res = await fetch(`${api.url}/data`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    const reply = (await res.json()) as { parameter: string; message: string };
    expect(reply.parameter).toBe(parameter);
    expect(reply.message).toMatch(message);
  });

  it.each([
    ['', 'application/json'],
    ['{', 'application/json'],
    ['mode=full', 'application/x-www-form-urlencoded'],
  ])('POST /data with body %j (%s) is a 4xx that names no internal code', async (body, type) => {
    const res = await fetch(`${api.url}/data`, { method: 'POST', headers: { 'content-type': type }, body });
    expect([400, 415]).toContain(res.status);
    expect(await res.text()).not.toMatch(/FST_|Error:/);
  });

  it('lists in the document every error status any operation may answer', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect([`${method} ${path}`, Object.keys(operation.responses)]).toEqual([`${method} ${path}`, expect.arrayContaining(['400', '431'])]);
        if (path.includes('{')) expect(Object.keys(operation.responses)).toContain('414');
      }
    }
    const limit = (doc.paths['/data']!.get as unknown as { parameters: { name: string; schema: { type: string } }[] }).parameters.find((p) => p.name === 'limit');
    expect(limit?.schema.type).toBe('integer');
  });
});

/** Any method, as Node's HTTP client sends it. */
function request(method: string, url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
