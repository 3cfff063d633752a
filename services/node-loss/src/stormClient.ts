import http, { type ClientRequestArgs } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import * as Minio from 'minio';
import { bareEtag, type MinioSettings } from '@userpipe/shared';
import type { Reply } from './attemptLog';
import type { ObjectStore } from './storm';

/**
 * The longest a storm request may go without a byte before its socket is cut: longer than the
 * load balancer's `timeout server` (5 minutes, infra/local/haproxy.sh), so that in practice an
 * attempt ends only when its HTTP exchange does. Cutting sooner does not stop the request:
 * HAProxy keeps its side open to MinIO, which applies it whenever it gets to it. Seen (issue 12):
 * four PUTs of one key given up on after 20 or 30 s, waiting in MinIO for the key's lock that the
 * killed node's request held, each written as a new version up to 100 s after it was sent and
 * after the attempt the storm had counted. Had the key's next call been a DELETE, a late PUT
 * after it would have brought the key back. A node that dies or hangs is HAProxy's to notice
 * (within two seconds, then it cuts that node's sessions: the attempt fails and is retried).
 */
export const STORM_IDLE_MS = 320_000;

/**
 * An HTTP agent whose sockets are cut when nothing arrives for `idleMs`, on every request of a
 * kept-alive socket: Node resets a socket's timeout to the agent's own `timeout` each time the
 * socket goes back to the pool, so one set only when the socket is made covered its first
 * request alone.
 */
class IdleCuttingAgent extends http.Agent {
  constructor(private readonly idleMs: number) {
    super({ keepAlive: true, timeout: idleMs });
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket instanceof Socket)
      socket.on('timeout', () => socket.destroy(Object.assign(new Error(`no data for ${this.idleMs} ms`), { code: 'ESOCKETIDLE' })));
    return socket;
  }
}

/** The statuses minio-js fails on before reading the body (request.js' retryHttpCodes): their S3 error code is read here. */
const UNREAD_STATUSES = new Set([408, 429, 499, 500, 502, 503, 504, 520]);

/**
 * node:http with a look at every reply: what the attempt log keeps (status, request id, the
 * answering node's hash, version id, delete marker) is copied into the Reply of the call that
 * sent the request. The reply slot is taken when the request is created, so a late answer to an
 * attempt given up on fills that attempt's record, not the next one's. For a status minio-js
 * fails on without reading the body, the body is read here for its S3 error code (which also
 * frees the socket).
 */
class ReplyRecorder {
  /** The Reply of the call in progress (a client loop makes one call at a time). */
  next: Reply | undefined;

  readonly transport = {
    request: (options: ClientRequestArgs, callback: (res: http.IncomingMessage) => void): http.ClientRequest => {
      const reply = this.next;
      this.next = undefined;
      return http.request(options, (res) => {
        if (reply) {
          const h = res.headers;
          const one = (name: string) => {
            const v = h[name];
            return Array.isArray(v) ? v[0] : v;
          };
          reply.status = res.statusCode;
          reply.requestId = one('x-amz-request-id');
          reply.node = one('x-amz-id-2')?.slice(0, 8);
          reply.versionId = one('x-amz-version-id');
          const marker = one('x-amz-delete-marker');
          if (marker !== undefined) reply.deleteMarker = marker === 'true';
          const etag = one('etag');
          if (etag !== undefined) reply.etag = bareEtag(etag);
          if (res.statusCode !== undefined && UNREAD_STATUSES.has(res.statusCode)) {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk.length < 4096 ? chunk : ''));
            res.on('end', () => (reply.code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? reply.code));
            res.on('error', () => undefined);
          }
        }
        callback(res);
      });
    },
  };
}

/**
 * One storm client: MinIO's root account through the load balancer, the region given (so no
 * call asks for it), and minio-js' own single retry of a 5xx turned off, so every failed
 * attempt is the storm's to count and retry (untilAcknowledged.ts) and none is only a warning
 * on the console.
 */
export function stormStore(s: Pick<MinioSettings, 'MINIO_HOST' | 'MINIO_PORT' | 'MINIO_USE_SSL' | 'MINIO_REGION' | 'MINIO_ACCESS_KEY' | 'MINIO_SECRET_KEY' | 'SRC_BUCKET'>, idleMs = STORM_IDLE_MS): ObjectStore {
  const recorder = new ReplyRecorder();
  const minio = new Minio.Client({
    endPoint: s.MINIO_HOST,
    port: s.MINIO_PORT,
    useSSL: s.MINIO_USE_SSL,
    region: s.MINIO_REGION,
    accessKey: s.MINIO_ACCESS_KEY,
    secretKey: s.MINIO_SECRET_KEY,
    retryOptions: { disableRetry: true },
    transport: recorder.transport as unknown as Minio.ClientOptions['transport'],
    ...(s.MINIO_USE_SSL ? {} : { transportAgent: new IdleCuttingAgent(idleMs) }),
  });
  return {
    put: async (key, body, reply) => {
      recorder.next = reply;
      return (await minio.putObject(s.SRC_BUCKET, key, body, body.length, { 'Content-Type': key.endsWith('.png') ? 'image/png' : 'text/csv' })).etag;
    },
    remove: (key, reply) => {
      recorder.next = reply;
      return minio.removeObject(s.SRC_BUCKET, key);
    },
  };
}
