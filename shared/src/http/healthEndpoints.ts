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

/** One endpoint's reply, whichever server sends it. */
export interface HealthReply {
  status: number;
  contentType: string;
  body: string;
}

export const HEALTH_PATHS = ['/healthz', '/readyz', '/metrics'] as const;
export type HealthPath = (typeof HEALTH_PATHS)[number];

const ALIVE: Probe = { ok: true, body: { status: 'ok' } };

/** A JSON reply, as Fastify would send the same object. */
export const jsonReply = (status: number, body: Record<string, unknown>): HealthReply => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });

const probeReply = (probe: Probe): HealthReply => jsonReply(probe.ok ? 200 : 503, probe.body);

/**
 * /healthz, /readyz and /metrics, the same in every service: what each answers, apart from the
 * server that sends it. The query API serves them beside its routes (`healthEndpoints`), the
 * worker and the rebuild on a server of their own (healthServer.ts).
 */
export function healthReplies(opts: HealthEndpointsOptions): Record<HealthPath, () => Promise<HealthReply>> {
  return {
    '/healthz': async () => probeReply(opts.liveness?.() ?? ALIVE),
    '/readyz': async () => probeReply(await opts.readiness()),
    '/metrics': async () => ({ status: 200, contentType: opts.registry.contentType, body: await opts.registry.metrics() }),
  };
}

/** @fastify/swagger's key (its types declare it, where the query API loads it): no document lists these routes; elsewhere it is ignored. */
const HIDDEN = { schema: { hide: true } as FastifySchema };

/**
 * The health endpoints as a Fastify plugin, for the query API. Hidden from its OpenAPI document:
 * they are for orchestrators and Prometheus.
 */
export const healthEndpoints: FastifyPluginAsync<HealthEndpointsOptions> = async (app, opts) => {
  const replies = healthReplies(opts);
  for (const path of HEALTH_PATHS) {
    app.get(path, HIDDEN, async (_req, reply) => {
      const { status, contentType, body } = await replies[path]();
      return reply.code(status).type(contentType).send(body);
    });
  }
};
