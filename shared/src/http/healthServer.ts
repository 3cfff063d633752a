import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { HEALTH_PATHS, healthReplies, jsonReply, type HealthPath, type HealthReply, type Probe } from './healthEndpoints';

export interface HealthChecks {
  /** Each resolves when its dependency answers; the name appears in the /readyz reply. */
  [name: string]: () => Promise<unknown>;
}

/** Ready when every check resolves; the reply names each check's outcome. */
export function readinessOf(checks: HealthChecks): () => Promise<Probe> {
  return async () => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, (err as Error).message || 'failed'] as const;
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    return { ok: ready, body: { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) } };
  };
}

export interface HealthServer {
  /** Starts listening; resolves with the server's base URL (port 0 takes a free one). */
  listen(address: { host: string; port: number }): Promise<string>;
  /** Stops accepting connections and resolves once the requests in hand are answered. */
  close(): Promise<void>;
}

const isHealthPath = (path: string): path is HealthPath => (HEALTH_PATHS as readonly string[]).includes(path);

const errorReply = (status: number, error: string, message: string): HealthReply => jsonReply(status, { statusCode: status, error, message });

/**
 * The health server of a service that serves nothing else over HTTP (the worker, the rebuild):
 * the health endpoints on a port of their own, on `node:http`. Fastify, which the query API
 * uses, cost a worker about 0.1 s of CPU at every start and about 10 MB of its resident memory for
 * three fixed routes (docs/scaling.md, "Workers").
 */
export function buildHealthServer(opts: { registry: Registry; checks: HealthChecks }): HealthServer {
  const replies = healthReplies({ registry: opts.registry, readiness: readinessOf(opts.checks) });

  const replyTo = async (req: IncomingMessage): Promise<HealthReply & { allow?: string }> => {
    // Split, not parsed: a request line no URL parser accepts must get a 404, not throw.
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (!isHealthPath(path)) return errorReply(404, 'Not Found', `Route ${req.method}:${path} not found`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return { ...errorReply(405, 'Method Not Allowed', `${path} answers GET and HEAD`), allow: 'GET, HEAD' };
    try {
      return await replies[path]();
    } catch (err) {
      return errorReply(500, 'Internal Server Error', (err as Error).message);
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    replyTo(req)
      .then(({ status, contentType, body, allow }) => {
        res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...(allow ? { allow } : {}) });
        res.end(req.method === 'HEAD' ? undefined : body);
      })
      // Whatever goes wrong with one request ends that request, never the service.
      .catch(() => res.destroy());
  });

  return {
    listen: ({ host, port }) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const { address, family, port: bound } = server.address() as AddressInfo;
          resolve(`http://${family === 'IPv6' ? `[${address}]` : address}:${bound}`);
        });
      }),
    close: () => new Promise((resolve, reject) => (server.listening ? server.close((err) => (err ? reject(err) : resolve())) : resolve())),
  };
}
