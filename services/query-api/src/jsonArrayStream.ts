import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { apiUserJson, type ApiUserRow } from '@userpipe/shared';

const ESCAPES: Record<string, string> = { '\\': '\\', n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };

/** One field of COPY's text format: `\N` is NULL; backslash escapes stand for the characters they name. */
export function copyTextField(field: string): string | null {
  if (field === '\\N') return null;
  return field.includes('\\') ? field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c) : field;
}

/**
 * COPY text rows of the API user columns in, one JSON array of users out, in chunks as large
 * as the input's. Reading through COPY and building the JSON here is several times faster than
 * a cursor whose rows the driver parses one by one; memory stays flat however many rows there are.
 */
export function jsonArrayStream(): Transform {
  return copyRowsAsJsonArray((line) => apiUserJson(line.split('\t').map(copyTextField) as ApiUserRow));
}

/** COPY text rows of a single column that Postgres built as JSON text in, one JSON array of those values out. */
export function jsonValuesArrayStream(): Transform {
  return copyRowsAsJsonArray((line) => copyTextField(line) ?? 'null');
}

/** COPY text rows in (split across chunks anywhere), each turned into JSON by `rowJson`, one JSON array out. */
function copyRowsAsJsonArray(rowJson: (line: string) => string): Transform {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const lines = (rest + decoder.write(chunk)).split('\n');
      rest = lines.pop()!;
      let out = '';
      for (const line of lines) {
        out += (first ? '[' : ',') + rowJson(line);
        first = false;
      }
      done(null, out);
    },
    flush(done) {
      const tail = rest + decoder.end();
      if (tail !== '') {
        done(new Error('COPY output ended inside a row'));
        return;
      }
      done(null, first ? '[]' : ']');
    },
  });
}
