import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { copyTextField, jsonArrayStream, jsonValuesArrayStream } from './jsonArrayStream';

/** Rows as Postgres' COPY text format writes them. */
const copyRow = (fields: (string | null)[]) =>
  fields.map((f) => (f === null ? '\\N' : f.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t'))).join('\t') + '\n';

describe('copyTextField', () => {
  it.each([
    ['plain', 'plain'],
    ['\\N', null],
    ['a\\\\b', 'a\\b'],
    ['two\\nlines', 'two\nlines'],
    ['tab\\there', 'tab\there'],
    ['Zoë', 'Zoë'],
  ])('reads %j as %j', (field, value) => expect(copyTextField(field)).toBe(value));
});

describe('jsonArrayStream', () => {
  it('writes no rows as an empty array', async () => {
    expect(await text(Readable.from([]).pipe(jsonArrayStream()))).toBe('[]');
  });

  it('writes rows as users with named fields, whatever characters the names hold', async () => {
    const input = copyRow(['1', 'u1', 'Zoë, "Jr."\tTab', "O'Brien\\Back\nslash", '-1815350399999', 'src/u1.png']) + copyRow(['2', 'u2', 'A', 'B', '0', null]);
    const out = await text(Readable.from([Buffer.from(input)]).pipe(jsonArrayStream()));
    expect(JSON.parse(out)).toEqual([
      { id: 1, user_id: 'u1', first_name: 'Zoë, "Jr."\tTab', last_name: "O'Brien\\Back\nslash", birthdate: '1912-06-23T00:00:00.001Z', birthts: -1815350399999, img_path: 'src/u1.png' },
      { id: 2, user_id: 'u2', first_name: 'A', last_name: 'B', birthdate: '1970-01-01T00:00:00.000Z', birthts: 0, img_path: null },
    ]);
  });

  it('reassembles rows and characters split across chunks', async () => {
    const input = Buffer.from(Array.from({ length: 500 }, (_, i) => copyRow([String(i), `u${i}`, 'Łukasz', 'Ødegaard', String(i), null])).join(''));
    const chunks = Array.from({ length: Math.ceil(input.length / 7) }, (_, i) => input.subarray(i * 7, i * 7 + 7));
    const users = JSON.parse(await text(Readable.from(chunks).pipe(jsonArrayStream()))) as { user_id: string; first_name: string }[];
    expect(users).toHaveLength(500);
    expect(users.every((u, i) => u.user_id === `u${i}` && u.first_name === 'Łukasz')).toBe(true);
  });
});

describe('jsonValuesArrayStream', () => {
  it('writes no rows as an empty array', async () => {
    expect(await text(Readable.from([]).pipe(jsonValuesArrayStream()))).toBe('[]');
  });

  it('writes each row, JSON text built by Postgres, as one element, unescaping what COPY escaped', async () => {
    const values = [{ key: 'a.csv', reason: 'first_name is empty\n"quoted"\\' }, { key: 'b.csv', reason: 'tab\there' }];
    const input = values.map((v) => copyRow([JSON.stringify(v)])).join('');
    const chunks = [Buffer.from(input).subarray(0, 9), Buffer.from(input).subarray(9)];
    expect(JSON.parse(await text(Readable.from(chunks).pipe(jsonValuesArrayStream())))).toEqual(values);
  });
});
