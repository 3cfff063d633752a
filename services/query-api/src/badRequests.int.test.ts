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
    ['min_age=40&max_age=30', 'min_age', /min_age \(40\) is greater than max_age \(30\)/],
    ['is_image_exists=yes', 'is_image_exists', /must be true, false, 1 or 0/],
    ['is_image_exists=', 'is_image_exists', /must be true, false, 1 or 0/],
    ['limit=0', 'limit', /at least 1/],
    ['limit=501', 'limit', /at most the maximum page size/],
    ['limit=ten', 'limit', /whole number/],
    ['cursor=!!', 'cursor', /previous page/],
    ['cursor=AAAA', 'cursor', /not one this API gave out/],
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
