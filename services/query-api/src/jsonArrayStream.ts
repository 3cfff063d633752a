import { Transform } from 'node:stream';
import { apiUserJson, type ApiUserRow } from '@userpipe/shared';

/**
 * User rows in, one JSON array out, written as they arrive in chunks of about 64 KiB: memory
 * stays flat however many there are, and the socket is not handed a million tiny writes.
 */
export function jsonArrayStream(): Transform {
  let buffer = '';
  let first = true;
  return new Transform({
    writableObjectMode: true,
    transform(row: ApiUserRow, _enc, done) {
      buffer += (first ? '[' : ',') + apiUserJson(row);
      first = false;
      if (buffer.length < 65536) return done();
      const chunk = buffer;
      buffer = '';
      done(null, chunk);
    },
    flush(done) {
      done(null, first ? '[]' : `${buffer}]`);
    },
  });
}
