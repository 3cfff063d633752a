import { parseUserFile, type UserFileResult } from './userFile';

const now = new Date('2026-11-24T12:00:00Z');
const opts = { maxBytes: 1024, now };
const parse = (text: string | Uint8Array, o = opts): UserFileResult =>
  parseUserFile(typeof text === 'string' ? Buffer.from(text, 'utf8') : text, o);
const reasonOf = (r: UserFileResult) => (r.ok ? '(accepted)' : r.reason);

const ada = { firstName: 'Ada', lastName: 'Lovelace', birthts: 631152000000 };

describe('parseUserFile accepts', () => {
  it('a header and one row', () => {
    expect(parse('first_name,last_name,birthts\nAda,Lovelace,631152000000\n')).toEqual({ ok: true, user: ada });
  });

  it('a file without a trailing newline', () => {
    expect(parse('first_name,last_name,birthts\nAda,Lovelace,631152000000')).toEqual({ ok: true, user: ada });
  });

  it('CRLF line endings', () => {
    expect(parse('first_name,last_name,birthts\r\nAda,Lovelace,631152000000\r\n')).toEqual({ ok: true, user: ada });
  });

  it('a UTF-8 byte order mark', () => {
    expect(parse('\uFEFFfirst_name,last_name,birthts\nAda,Lovelace,631152000000\n')).toEqual({ ok: true, user: ada });
  });

  it('header names with spaces and any letter case, in any order', () => {
    expect(parse(' BirthTS , First_Name ,LAST_NAME\n631152000000,Ada,Lovelace\n')).toEqual({ ok: true, user: ada });
  });

  it('extra columns, which it ignores', () => {
    expect(parse('id,first_name,last_name,birthts,email\n7,Ada,Lovelace,631152000000,a@b.c\n')).toEqual({ ok: true, user: ada });
  });

  it('blank lines anywhere', () => {
    expect(parse('\nfirst_name,last_name,birthts\n\n  \nAda,Lovelace,631152000000\n\n')).toEqual({ ok: true, user: ada });
  });

  it('names with spaces around them, trimmed', () => {
    expect(parse('first_name,last_name,birthts\n  Ada ,  Lovelace  , 631152000000 \n')).toEqual({ ok: true, user: ada });
  });

  it('semicolons, tabs and bars inside names of a comma-separated file, as text', () => {
    expect(parse('first_name,last_name,birthts\nAda;Ann,Love\tlace|L,631152000000\n')).toEqual({ ok: true, user: { ...ada, firstName: 'Ada;Ann', lastName: 'Love\tlace|L' } });
  });

  it('quoted names with commas, quotes, apostrophes and accents', () => {
    const result = parse('first_name,last_name,birthts\n"Zoë, Jr.","O\'Brien ""The Great""",0\n');
    expect(result).toEqual({ ok: true, user: { firstName: 'Zoë, Jr.', lastName: 'O\'Brien "The Great"', birthts: 0 } });
  });

  it('a negative birthts (born before 1970)', () => {
    expect(parse('first_name,last_name,birthts\nAlan,Turing,-1815350400000\n')).toEqual({
      ok: true,
      user: { firstName: 'Alan', lastName: 'Turing', birthts: -1815350400000 },
    });
  });

  it('a birthts of exactly now', () => {
    expect(parse(`first_name,last_name,birthts\nNew,Born,${now.getTime()}\n`).ok).toBe(true);
  });
});

describe('parseUserFile rejects, with a reason', () => {
  it.each([
    ['an empty file', '', /empty/],
    ['a header only', 'first_name,last_name,birthts\n', /no data row/],
    ['two data rows', 'first_name,last_name,birthts\nA,B,1\nC,D,2\n', /2 data rows/],
    ['a missing column', 'first_name,birthts\nAda,1\n', /lacks column last_name/],
    ['a column given twice', 'first_name,last_name,birthts,birthts\nA,B,1,2\n', /birthts appears 2 times/],
    ['a short row', 'first_name,last_name,birthts\nAda,Lovelace\n', /2 fields but the header has 3/],
    ['a long row', 'first_name,last_name,birthts\nAda,Lovelace,1,extra\n', /4 fields but the header has 3/],
    ['an empty first name', 'first_name,last_name,birthts\n  ,Lovelace,1\n', /first_name is empty/],
    ['an empty last name', 'first_name,last_name,birthts\nAda,,1\n', /last_name is empty/],
    ['a very long name', `first_name,last_name,birthts\n${'x'.repeat(201)},L,1\n`, /longer than 200/],
    ['a birthts that is not a number', 'first_name,last_name,birthts\nAda,Lovelace,yesterday\n', /"yesterday" is not a whole number/],
    ['a birthts with a fraction', 'first_name,last_name,birthts\nAda,Lovelace,1.5\n', /not a whole number/],
    ['a birthts in seconds notation', 'first_name,last_name,birthts\nAda,Lovelace,1e12\n', /not a whole number/],
    ['an empty birthts', 'first_name,last_name,birthts\nAda,Lovelace,\n', /"" is not a whole number/],
    ['a birthts in the future', `first_name,last_name,birthts\nAda,Lovelace,${now.getTime() + 1}\n`, /in the future/],
    ['a birthts far beyond any date', 'first_name,last_name,birthts\nAda,Lovelace,99999999999999999999\n', /in the future/],
    ['a birthts before 1800', 'first_name,last_name,birthts\nAda,Lovelace,-99999999999999\n', /before 1800-01-01/],
    ['an unterminated quote', 'first_name,last_name,birthts\n"Ada,Lovelace,1\n', /malformed CSV/],
    // Comma-separated only: another separator is not guessed (see parseUserFile).
    ['a file separated by semicolons', 'first_name;last_name;birthts\nAda;Lovelace;631152000000\n', /^fields are separated by semicolons; a user file is comma-separated/],
    ['a file separated by tabs', 'first_name\tlast_name\tbirthts\nAda\tLovelace\t631152000000\n', /^fields are separated by tabs; a user file is comma-separated/],
    ['a file separated by vertical bars', 'first_name|last_name|birthts\nAda|Lovelace|631152000000\n', /^fields are separated by vertical bars/],
    ['semicolons whose names hold commas', 'first_name;last_name;birthts\nAda, Jr.;Lovelace;631152000000\n', /^fields are separated by semicolons/],
    ['a comma header over a semicolon row', 'first_name,last_name,birthts\nAda;Lovelace;631152000000\n', /data row has 1 fields but the header has 3/],
  ])('%s', (_what, text, reason) => {
    expect(reasonOf(parse(text))).toMatch(reason);
  });

  it('a file that is not UTF-8', () => {
    const latin1 = Buffer.from('first_name,last_name,birthts\nZo\xeb,L,1\n', 'latin1');
    expect(reasonOf(parse(latin1))).toMatch(/not valid UTF-8/);
  });

  it('a picture uploaded under a csv name', () => {
    expect(reasonOf(parse(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))).toMatch(/not valid UTF-8/);
  });

  it('a binary file that happens to be valid UTF-8', () => {
    expect(reasonOf(parse(Buffer.from('first_name,last_name,birthts\nA\u0000,B,1\n')))).toMatch(/binary/);
  });

  it('a file over the size limit, unread', () => {
    const big = `first_name,last_name,birthts\nAda,Lovelace,1\n${' '.repeat(2000)}`;
    expect(reasonOf(parse(big))).toBe(`file is ${Buffer.byteLength(big)} bytes; the limit is 1024`);
  });
});
