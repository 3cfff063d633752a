import { parseRoute, pick, queryString, routeHash } from './route';

describe('parseRoute', () => {
  it('reads the view and its parameters', () => {
    const route = parseRoute('#/users?min_age=30&is_image_exists=true');
    expect(route.view).toBe('users');
    expect(Object.fromEntries(route.params)).toEqual({ min_age: '30', is_image_exists: 'true' });
  });

  it('reads a view without parameters', () => {
    expect(parseRoute('#/pipeline').view).toBe('pipeline');
  });

  it.each(['', '#', '#/', '#/nothing?x=1', 'users'])('opens the users view for %j', (hash) => {
    expect(parseRoute(hash)).toEqual({ view: 'users', params: new URLSearchParams() });
  });

  it('keeps values that are not valid, for the API to say what is wrong with them', () => {
    expect(parseRoute('#/users?min_age=thirty').params.get('min_age')).toBe('thirty');
  });
});

describe('routeHash', () => {
  it('writes the parameters that have a value, encoded', () => {
    expect(routeHash('users', { min_age: '30', max_age: '', cursor: 'a b', limit: undefined, is_image_exists: null })).toBe('#/users?min_age=30&cursor=a+b');
  });

  it('writes a view alone when nothing is set', () => {
    expect(routeHash('jobs', {})).toBe('#/jobs');
  });

  it('round-trips through parseRoute', () => {
    const params = { min_age: '30.5', cursor: 'O\'Brien&Co', is_image_exists: 'false' };
    expect(Object.fromEntries(parseRoute(routeHash('users', params)).params)).toEqual(params);
  });
});

describe('pick and queryString', () => {
  it('forward only the named parameters to the API', () => {
    const params = new URLSearchParams('min_age=30&job=abc&limit=100');
    expect(queryString(pick(params, ['min_age', 'max_age', 'limit']))).toBe('?min_age=30&limit=100');
  });

  it('write nothing when nothing is set', () => {
    expect(queryString({ a: undefined, b: '' })).toBe('');
  });
});
