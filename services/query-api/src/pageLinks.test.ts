import { pageLinks } from './pageLinks';

describe('pageLinks', () => {
  it('is nothing for a single page', () => {
    expect(pageLinks('/data?limit=10', undefined, { kind: 'none' })).toBeUndefined();
  });

  it('gives the next page after the cursor, keeping every other parameter', () => {
    expect(pageLinks('/data?min_age=30&limit=10', 'u7', { kind: 'none' })).toBe('</data?min_age=30&limit=10&cursor=u7>; rel="next"');
  });

  it('replaces the cursor of the request', () => {
    expect(pageLinks('/data?limit=10&cursor=u7', 'u9', { kind: 'first' })).toBe('</data?limit=10&cursor=u9>; rel="next", </data?limit=10>; rel="prev"');
  });

  it('points a previous page that is not the first after its cursor', () => {
    expect(pageLinks('/rejections?cursor=k9.csv&limit=2', undefined, { kind: 'after', cursor: 'k5.csv' })).toBe('</rejections?cursor=k5.csv&limit=2>; rel="prev"');
  });
});
