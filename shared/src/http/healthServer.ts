import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { healthEndpoints, type Probe } from './healthEndpoints';

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

/** The health server of a service that serves nothing else over HTTP (the worker, the rebuild): the health endpoints on a port of their own. */
export function buildHealthServer(opts: { registry: Registry; checks: HealthChecks }): FastifyInstance {
  // Loaded here, not with the library: Fastify takes a quarter to half a second to load, which a
  // command such as `make rebuild` (no HTTP server) would otherwise pay before starting its work.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Fastify } = require('fastify') as typeof import('fastify');
  const app = Fastify({ logger: false });
  // Loaded by listen(), which waits for every plugin.
  void app.register(healthEndpoints, { registry: opts.registry, readiness: readinessOf(opts.checks) });
  return app;
}
