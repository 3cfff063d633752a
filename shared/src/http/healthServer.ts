import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface HealthChecks {
  /** Each resolves when its dependency answers; the name appears in the /readyz reply. */
  [name: string]: () => Promise<unknown>;
}

/** /healthz (the process answers), /readyz (its dependencies answer) and Prometheus /metrics. */
export function buildHttpServer(opts: { registry: Registry; checks: HealthChecks }): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const results = await Promise.all(
      Object.entries(opts.checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, (err as Error).message || 'failed'] as const;
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', async (_req, reply) => {
    return reply.type(opts.registry.contentType).send(await opts.registry.metrics());
  });
  return app;
}
