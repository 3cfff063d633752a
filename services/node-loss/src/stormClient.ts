import http, { type ClientRequestArgs } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import * as Minio from 'minio';
import type { MinioSettings } from '@userpipe/shared';
import type { ObjectStore } from './storm';

/**
 * An HTTP agent whose sockets are cut when nothing arrives for `idleMs`: a request caught on a
 * MinIO node that vanished (or queued behind a lock it held) then fails with an error the storm
 * retries, instead of hanging its client loop. Cutting the socket, rather than only giving up
 * on the promise, also ends the request at the load balancer, so it cannot complete long after
 * the client moved on to the key's next operation.
 */
class IdleCuttingAgent extends http.Agent {
  constructor(private readonly idleMs: number) {
    super({ keepAlive: true });
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback);
    if (socket instanceof Socket)
      socket.setTimeout(this.idleMs, () => socket.destroy(Object.assign(new Error(`no data for ${this.idleMs} ms`), { code: 'ESOCKETIDLE' })));
    return socket;
  }
}

/**
 * One storm client: MinIO's root account through the load balancer, the region given (so no
 * call asks for it), and minio-js' own single retry of a 5xx turned off, so every failed
 * attempt is the storm's to count and retry (untilAcknowledged.ts) and none is only a warning
 * on the console.
 */
export function stormStore(s: Pick<MinioSettings, 'MINIO_HOST' | 'MINIO_PORT' | 'MINIO_USE_SSL' | 'MINIO_REGION' | 'MINIO_ACCESS_KEY' | 'MINIO_SECRET_KEY' | 'SRC_BUCKET'>, idleMs = 20_000): ObjectStore {
  const minio = new Minio.Client({
    endPoint: s.MINIO_HOST,
    port: s.MINIO_PORT,
    useSSL: s.MINIO_USE_SSL,
    region: s.MINIO_REGION,
    accessKey: s.MINIO_ACCESS_KEY,
    secretKey: s.MINIO_SECRET_KEY,
    retryOptions: { disableRetry: true },
    ...(s.MINIO_USE_SSL ? {} : { transportAgent: new IdleCuttingAgent(idleMs) }),
  });
  return {
    put: async (key, body) => (await minio.putObject(s.SRC_BUCKET, key, body, body.length, { 'Content-Type': key.endsWith('.png') ? 'image/png' : 'text/csv' })).etag,
    remove: (key) => minio.removeObject(s.SRC_BUCKET, key),
  };
}
