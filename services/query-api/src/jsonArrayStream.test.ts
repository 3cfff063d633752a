import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { jsonArrayStream } from './jsonArrayStream';

describe('jsonArrayStream', () => {
  it.each([[[]], [[{ a: 1 }]], [[{ a: 1 }, { b: 'x,"]' }, { c: null }]]])('writes %j as one JSON array', async (rows) => {
    const out = await text(Readable.from(rows).pipe(jsonArrayStream()));
    expect(JSON.parse(out)).toEqual(rows);
  });
});
