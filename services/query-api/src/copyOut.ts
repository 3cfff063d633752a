import type { Pool } from '@userpipe/shared';
import { to as copyTo } from 'pg-copy-streams';
import type { Readable } from 'node:stream';

/**
 * Runs `COPY ... TO STDOUT` on a pooled connection of its own and returns its output. The
 * connection goes back to the pool when the output has been read to the end; when the stream
 * is destroyed before that (the client went away, a write failed) or fails, the connection is
 * discarded instead, because a COPY cut short leaves it in the middle of the protocol.
 */
export async function copyOut(pool: Pool, sql: string): Promise<Readable> {
  const client = await pool.connect();
  let stream: Readable;
  try {
    stream = client.query(copyTo(sql));
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  let released = false;
  const release = (err?: Error) => {
    if (released) return;
    released = true;
    client.release(err);
  };
  stream.once('end', () => release());
  // `on`, not `once`: a connection killed mid-COPY can report its end more than once, and an
  // 'error' nobody listens to would crash the process.
  stream.on('error', (err: Error) => release(err));
  stream.once('close', () => release(new Error('COPY output closed before its end')));
  return stream;
}
