import { previousPage } from './pagePosition';

describe('previousPage', () => {
  it('is none when nothing comes before the cursor', () => {
    expect(previousPage([], 3)).toEqual({ kind: 'none' });
  });

  it('is the first page when at most a page of keys comes before the cursor', () => {
    expect(previousPage(['c'], 3)).toEqual({ kind: 'first' });
    expect(previousPage(['c', 'b', 'a'], 3)).toEqual({ kind: 'first' });
  });

  it('starts after the key beyond the page of keys nearest the cursor', () => {
    // Keys a..d precede the cursor; a page of 3 back from it is b, c, d, so it starts after a.
    expect(previousPage(['d', 'c', 'b', 'a'], 3)).toEqual({ kind: 'after', cursor: 'a' });
  });
});
