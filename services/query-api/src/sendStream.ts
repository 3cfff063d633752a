import { pipeline, Readable, type Transform } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** The client closed its connection before the reply could start; there is no one to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection before the reply started');
    this.name = 'ClientGoneError';
  }
}

/**
 * Sends `source` through `transforms` as the reply body, wired so that however the reply ends
 * the whole chain is torn down and the database connection behind it is given back:
 *
 * - The chain is joined with `pipeline`, not `.pipe`: a destroyed or failed stage destroys
 *   every other stage (`.pipe` left the COPY source paused forever, holding its connection).
 * - Nothing is sent until the first chunk exists, so a query that fails at once gets a proper
 *   error status instead of a 200 cut short; a client that leaves while we wait tears the chain
 *   down too.
 * - After the first byte Fastify owns the reply: when the client goes away it destroys the body
 *   (and so the chain); when the chain fails it logs once and ends the connection, so the client
 *   sees a truncated body, never a hang. A reply that makes no progress at all is cut off by the
 *   server's idle timeout (API_STALL_TIMEOUT_MS), which ends the same way.
 */
export async function sendStream(reply: FastifyReply, contentType: string, source: Readable, ...transforms: Transform[]): Promise<FastifyReply> {
  const body: Readable = transforms.length === 0 ? source : (pipeline([source, ...transforms], () => undefined) as unknown as Readable);
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const clientGone = () => body.destroy();
  reply.raw.once('close', clientGone);
  if (reply.raw.destroyed) clientGone();
  let first: IteratorResult<Buffer>;
  try {
    first = await chunks.next();
  } catch (err) {
    throw reply.raw.destroyed ? new ClientGoneError() : err;
  } finally {
    reply.raw.off('close', clientGone);
  }

  const out = new Readable({
    read() {
      chunks.next().then(
        (next) => this.push(next.done ? null : next.value),
        (err: Error) => this.destroy(err),
      );
    },
    // Fastify destroys the body when the client goes away; pass that on down the chain at
    // once, even while a read is pending on a query that has stalled.
    destroy(err, done) {
      body.destroy();
      done(err);
    },
  });
  out.push(first.done ? null : first.value);
  return reply.type(contentType).send(out);
}
