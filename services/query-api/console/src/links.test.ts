import { cursorOf, parseLinks } from './links';

describe('parseLinks', () => {
  it('reads next and prev from one header', () => {
    expect(parseLinks('</data?limit=2&cursor=u3>; rel="next", </data?limit=2>; rel="prev"')).toEqual({ next: '/data?limit=2&cursor=u3', prev: '/data?limit=2' });
  });

  it('is empty without a header', () => {
    expect(parseLinks(null)).toEqual({});
  });

  it('ignores other relations', () => {
    expect(parseLinks('</docs>; rel="help"')).toEqual({});
  });
});

describe('cursorOf', () => {
  it('is the cursor a page starts after', () => {
    expect(cursorOf('/data?min_age=30&cursor=u%2B1&limit=2')).toBe('u+1');
  });

  it('is null for the first page', () => {
    expect(cursorOf('/data?limit=2')).toBeNull();
  });
});
