import { parseIfNoneMatch, pictureKey } from './pictureStore';

describe('pictureKey', () => {
  it('is the key of the picture the row points to', () => {
    expect(pictureKey('src', 'u1', 'src/u1.png')).toBe('u1.png');
    expect(pictureKey('src', 'u1', 'src/u1.jpeg')).toBe('u1.jpeg');
  });

  it.each([
    ['another user\'s picture', 'src/u2.png'],
    ['another bucket', 'res/u1.png'],
    ['the user\'s csv', 'src/u1.csv'],
    ['a key under a folder', 'src/x/u1.png'],
    ['a path that climbs out', 'src/../res/output.csv'],
  ])('is null for %s', (_what, imgPath) => {
    expect(pictureKey('src', 'u1', imgPath)).toBeNull();
  });
});

describe('parseIfNoneMatch', () => {
  it('is nothing without the header', () => expect(parseIfNoneMatch(undefined)).toEqual([]));
  it('reads one tag', () => expect(parseIfNoneMatch('"abc"')).toEqual(['abc']));
  it('reads weak tags as their value', () => expect(parseIfNoneMatch('W/"abc"')).toEqual(['abc']));
  it('reads a list', () => expect(parseIfNoneMatch('"a", W/"b" ,"c"')).toEqual(['a', 'b', 'c']));
  it('reads * as any', () => expect(parseIfNoneMatch(' * ')).toBe('*'));
  it('reads an unquoted value as no tag', () => expect(parseIfNoneMatch('abc')).toEqual([]));
});
