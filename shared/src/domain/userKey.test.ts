import { csvKey, extensionsToLookFor, imageKeys, isSeenOnlyExtension, parseUserKey } from './userKey';

describe('parseUserKey', () => {
  it.each([
    ['1000.csv', { userId: '1000', kind: 'csv' }],
    ['0001.csv', { userId: '0001', kind: 'csv' }],
    ['1000.png', { userId: '1000', kind: 'image', extension: 'png' }],
    ['1000.jpg', { userId: '1000', kind: 'image', extension: 'jpg' }],
    ['1000.jpeg', { userId: '1000', kind: 'image', extension: 'jpeg' }],
    ['john.doe.csv', { userId: 'john.doe', kind: 'csv' }],
    ['user_7-b.png', { userId: 'user_7-b', kind: 'image', extension: 'png' }],
  ])('maps %s to its user', (key, expected) => {
    expect(parseUserKey(key)).toEqual(expected);
  });

  it.each([
    ['a file of another type', '1000.txt'],
    ['a key under a prefix', 'archive/1000.csv'],
    ['an upper-case extension', '1000.CSV'],
    ['a key with no name', '.csv'],
    ['a name with a space', 'john doe.csv'],
    ['a name starting with a dot', '.hidden.csv'],
    ['no extension', '1000'],
    ['a name longer than 128 characters', `${'a'.repeat(129)}.csv`],
  ])('ignores %s', (_what, key) => {
    expect(parseUserKey(key)).toBeNull();
  });

  it('keeps user ids as text, so 0001 and 1 are different users', () => {
    expect(parseUserKey('0001.csv')?.userId).not.toEqual(parseUserKey('1.csv')?.userId);
  });
});

describe('user object keys', () => {
  it('names the csv after the user', () => {
    expect(csvKey('1000')).toBe('1000.csv');
  });

  it('lists picture keys in order of preference', () => {
    expect(imageKeys('1000')).toEqual(['1000.png', '1000.jpg', '1000.jpeg']);
    expect(imageKeys('1000', ['png', 'jpeg'])).toEqual(['1000.png', '1000.jpeg']);
  });
});

describe('extensions looked for', () => {
  it('are the png alone while the bucket has shown neither a jpg nor a jpeg', () => {
    expect(extensionsToLookFor([])).toEqual(['png']);
  });

  it('add each of jpg and jpeg once shown, in order of preference whatever the order shown', () => {
    expect(extensionsToLookFor(['jpeg'])).toEqual(['png', 'jpeg']);
    expect(extensionsToLookFor(['jpeg', 'jpg'])).toEqual(['png', 'jpg', 'jpeg']);
  });

  it('ignore what is no picture extension, and the png (always looked for)', () => {
    expect(extensionsToLookFor(['gif', 'png', 'csv'])).toEqual(['png']);
  });

  it('are learnt only for jpg and jpeg', () => {
    expect(['png', 'jpg', 'jpeg', 'csv', 'gif'].filter(isSeenOnlyExtension)).toEqual(['jpg', 'jpeg']);
  });
});
