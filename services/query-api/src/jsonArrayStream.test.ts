import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { ApiUserRow } from '@userpipe/shared';
import { jsonArrayStream } from './jsonArrayStream';

const row = (i: number, img: string | null = null): ApiUserRow => [String(i), `u${i}`, 'Zoë, "Jr."', 'O\'Brien', String(-1815350400000 + i), img];

describe('jsonArrayStream', () => {
  it('writes no rows as an empty array', async () => {
    expect(await text(Readable.from([]).pipe(jsonArrayStream()))).toBe('[]');
  });

  it('writes rows as an array of users with named fields', async () => {
    const out = await text(Readable.from([row(1, 'src/u1.png'), row(2)]).pipe(jsonArrayStream()));
    expect(JSON.parse(out)).toEqual([
      { id: 1, user_id: 'u1', first_name: 'Zoë, "Jr."', last_name: "O'Brien", birthdate: '1912-06-23T00:00:00.001Z', birthts: -1815350399999, img_path: 'src/u1.png' },
      { id: 2, user_id: 'u2', first_name: 'Zoë, "Jr."', last_name: "O'Brien", birthdate: '1912-06-23T00:00:00.002Z', birthts: -1815350399998, img_path: null },
    ]);
  });

  it('writes many rows in few large chunks', async () => {
    const chunks: string[] = [];
    for await (const chunk of Readable.from(Array.from({ length: 10_000 }, (_, i) => row(i))).pipe(jsonArrayStream())) chunks.push(String(chunk));
    expect(JSON.parse(chunks.join(''))).toHaveLength(10_000);
    expect(chunks.length).toBeLessThan(40);
  });
});
