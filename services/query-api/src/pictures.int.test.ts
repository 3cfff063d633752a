import { TestStack } from '@userpipe/shared/testing';
import type { RunningQueryApi } from './startQueryApi';
import { seedUsers, startTestQueryApi } from './testQueryApi';
import { solidPng } from '@userpipe/shared';

// GET /users/{user_id}/image: the picture the row names, read from MinIO with the API's own
// read-only login (TestStack gives the API the stack's query user, whose policy is the real one).
describe('GET /users/{user_id}/image', () => {
  let stack: TestStack;
  let api: RunningQueryApi;
  const png = solidPng(64, 64, [200, 40, 40]);
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]); // a JPEG's first bytes: served as stored
  const image = (userId: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${api.url}/users/${userId}/image`, { headers, method });

  beforeAll(async () => {
    stack = await TestStack.create();
    api = await startTestQueryApi(stack);
    const src = stack.srcBucket;
    await stack.put('pic.png', png);
    await stack.put('photo.jpg', jpeg);
    await stack.put('gone.png', png);
    // Stored as text/html by whoever uploaded it: served as a picture all the same.
    await stack.minio.putObject(src, 'sneaky.png', png, png.length, { 'Content-Type': 'text/html' });
    await stack.put('someone-else.png', png);
    await seedUsers(stack, [
      { user_id: 'pic', birthts: 0, img_path: `${src}/pic.png` },
      { user_id: 'photo', birthts: 0, img_path: `${src}/photo.jpg` },
      { user_id: 'gone', birthts: 0, img_path: `${src}/gone.png` },
      { user_id: 'sneaky', birthts: 0, img_path: `${src}/sneaky.png` },
      { user_id: 'nopic', birthts: 0, img_path: null },
      // A row naming a key that is no picture of its user (never written by reconcile): not read.
      { user_id: 'thief', birthts: 0, img_path: `${src}/someone-else.png` },
    ]);
    await stack.remove('gone.png');
  });
  afterAll(() => stack.dispose());

  it('streams the picture with its type, ETag, length and caching rule', async () => {
    const res = await image('pic');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('etag')).toBe(`"${await stack.etag('pic.png')}"`);
    expect(res.headers.get('cache-control')).toBe('max-age=60');
    expect(res.headers.get('content-length')).toBe(String(png.length));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });

  it('answers 304 without a body when the client has that version', async () => {
    const etag = (await image('pic')).headers.get('etag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await image('pic', { 'if-none-match': ifNoneMatch });
      expect([ifNoneMatch, res.status]).toEqual([ifNoneMatch, 304]);
      expect(res.headers.get('etag')).toBe(etag);
      expect(await res.text()).toBe('');
    }
  });

  it('sends the picture again when the client has another version', async () => {
    const res = await image('pic', { 'if-none-match': '"not-this-one"' });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });

  it('types a picture by its extension, not by what its uploader stored', async () => {
    const jpg = await image('photo');
    expect(jpg.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await jpg.arrayBuffer()).equals(jpeg)).toBe(true);
    expect((await image('sneaky')).headers.get('content-type')).toBe('image/png');
  });

  it('answers HEAD with the headers alone', async () => {
    const res = await image('pic', {}, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(png.length));
  });

  it.each([
    ['no user', 'nobody', /no user nobody/],
    ['a user without a picture', 'nopic', /has no picture/],
    ['a picture gone from the bucket', 'gone', /no longer in the bucket/],
    ['a row naming another user\'s picture', 'thief', /has no picture/],
  ])('answers 404 with the usual JSON error for %s', async (_what, userId, message) => {
    const res = await image(userId);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ statusCode: 404, error: 'Not Found', message: expect.stringMatching(message) });
  });

  it('answers 400 naming user_id for an id no user can have', async () => {
    const res = await image('.hidden');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ parameter: 'user_id', message: expect.stringMatching(/user_id must be a user id/) });
  });

  it('takes a user id of the longest length, 128 characters', async () => {
    expect((await image('a'.repeat(128))).status).toBe(404);
    expect((await image('a'.repeat(129))).status).toBe(414);
  });

  it('is in the OpenAPI document with its statuses and picture types', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as { paths: Record<string, { get: { responses: Record<string, { content?: object }> } }> };
    const responses = doc.paths['/users/{user_id}/image']!.get.responses;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '304', '400', '404', '414']));
    expect(Object.keys(responses['200']!.content!)).toEqual(['image/png', 'image/jpeg']);
  });
});
