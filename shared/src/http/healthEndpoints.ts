import type { FastifyPluginAsync, FastifySchema } from 'fastify';
import type { Registry } from 'prom-client';

/** A probe's verdict: 200 with `body` when `ok`, else 503 with it (which says why). */
export interface Probe {
  ok: boolean;
  body: Record<string, unknown>;
}

export interface HealthEndpointsOptions {
  /** /healthz: whether the process can still do its work, so restarting it would not help. Always, unless given. */
  liveness?: () => Probe;
  /** /readyz: whether what it depends on answers. */
  readiness: () => Promise<Probe>;
  /** Served at /metrics, in Prometheus' text format. */
  registry: Registry;
}

const ALIVE: Probe = { ok: true, body: { status: 'ok' } };

/** @fastify/swagger's key (its types declare it, where the query API loads it): no document lists these routes; elsewhere it is ignored. */
const HIDDEN = { schema: { hide: true } as FastifySchema };

/**
 * /healthz, /readyz and /metrics, the same way in every service: the query API registers them
 * beside its routes, the worker and the rebuild on a server of their own (healthServer.ts).
 * Hidden from the API's OpenAPI document: they are for orchestrators and Prometheus.
 */
export const healthEndpoints: FastifyPluginAsync<HealthEndpointsOptions> = async (app, opts) => {
  app.get('/healthz', HIDDEN, async (_req, reply) => {
    const probe = opts.liveness?.() ?? ALIVE;
    return reply.code(probe.ok ? 200 : 503).send(probe.body);
  });
  app.get('/readyz', HIDDEN, async (_req, reply) => {
    const probe = await opts.readiness();
    return reply.code(probe.ok ? 200 : 503).send(probe.body);
  });
  app.get('/metrics', HIDDEN, async (_req, reply) => reply.type(opts.registry.contentType).send(await opts.registry.metrics()));
};
