import { TestStack } from '@userpipe/shared/testing';
import { startTestQueryApi } from './testQueryApi';
import type { RunningQueryApi } from './startQueryApi';

// Every bad request gets a 400 whose JSON body names the parameter and says what is wrong.
describe('GET /data with bad parameters', () => {
  let stack: TestStack;
  let api: RunningQueryApi;

  beforeAll(async () => {
    stack = await TestStack.create();
    api = await startTestQueryApi(stack, { settings: { API_MAX_PAGE_SIZE: '500' } });
  });
  afterAll(() => stack.dispose());

  it.each([
    ['min_age=abc', 'min_age', /min_age must be a non-negative number of years/],
    ['max_age=thirty', 'max_age', /max_age must be a non-negative number of years/],
    ['min_age=-1', 'min_age', /non-negative/],
    ['max_age=1e3', 'max_age', /non-negative number/],
    ['min_age=', 'min_age', /non-negative number/],
    ['min_age=1000', 'min_age', /below 1000/],
    ['max_age=2026.5', 'max_age', /below 1000/],
    ['is_image_exists=yes', 'is_image_exists', /must be true, false, 1 or 0/],
    ['is_image_exists=', 'is_image_exists', /must be true, false, 1 or 0/],
    ['limit=0', 'limit', /at least 1/],
    ['limit=501', 'limit', /at most the maximum page size/],
    ['limit=ten', 'limit', /whole number/],
    ['limit=0x10', 'limit', /whole number of users per page, in digits/],
    ['limit=1e3', 'limit', /whole number of users per page, in digits/],
    ['limit=+5', 'limit', /whole number of users per page, in digits/],
    ['cursor=!!', 'cursor', /previous page/],
    ['cursor=.hidden', 'cursor', /must be a user_id/],
    ['format=xml', 'format', /json or csv/],
    ['min_ages=30', 'min_ages', /unknown parameter "min_ages"/],
    ['is_image_exist=true', 'is_image_exist', /unknown parameter "is_image_exist"/],
  ])('%s', async (query, parameter, message) => {
    const res = await fetch(`${api.url}/data?${query}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { parameter: string; message: string; statusCode: number };
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', parameter });
    expect(body.message).toMatch(message);
  });

  it.each(['/jobs/not-a-uuid'])('GET %s is a 400 naming the id', async (path) => {
    const res = await fetch(`${api.url}${path}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ parameter: 'id' });
  });
});
