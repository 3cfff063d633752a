import { nextLink } from './linkHeader';

describe('nextLink', () => {
  const base = 'http://127.0.0.1:8080/data?limit=2';

  it("resolves rel=next against the request's URL", () => {
    expect(nextLink('</data?limit=2&cursor=10018>; rel="next", </data?limit=2>; rel="prev"', base)).toBe('http://127.0.0.1:8080/data?limit=2&cursor=10018');
  });

  it('finds next after prev, and among several rels', () => {
    expect(nextLink('</data?limit=2>; rel="prev", </data?limit=2&cursor=a,b>; rel="last next"', base)).toBe('http://127.0.0.1:8080/data?limit=2&cursor=a,b');
  });

  it('is null on the last page', () => {
    expect(nextLink('</data?limit=2>; rel="prev"', base)).toBeNull();
    expect(nextLink(null, base)).toBeNull();
  });
});
