import { Transform } from 'node:stream';

/** Rows in, one JSON array out, written as the rows arrive: memory stays flat however many there are. */
export function jsonArrayStream(): Transform {
  let first = true;
  return new Transform({
    writableObjectMode: true,
    transform(row: unknown, _enc, done) {
      const json = JSON.stringify(row);
      done(null, first ? `[${json}` : `,${json}`);
      first = false;
    },
    flush(done) {
      done(null, first ? '[]' : ']');
    },
  });
}
