import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger, Pool } from '@userpipe/shared';
import { randomUUID } from 'node:crypto';
import { registerErrorReplies } from './plugins/errorReplies';
import { registerMetrics } from './plugins/metrics';
import { registerOpenApi } from './plugins/openapi';
import type { RebuildRequests } from './rebuildRequests';
import { dataRoutes } from './routes/data';
import { healthRoutes } from './routes/health';
import { jobRoutes } from './routes/jobs';

export interface AppDeps {
  pool: Pool;
  rebuildRequests: RebuildRequests;
  logger: Logger;
  maxPageSize: number;
  /** The time ages are computed at; tests fix it. */
  now?: () => Date;
}

/** The query API: plugins first (errors, metrics, OpenAPI), then the routes, which take what they need. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // An unknown query parameter must be an error, not silently dropped (a typo would return everyone).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorReplies(app);
  registerMetrics(app);
  await registerOpenApi(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(healthRoutes, { pool: deps.pool });
  await app.register(dataRoutes, { pool: deps.pool, rebuildRequests: deps.rebuildRequests, maxPageSize: deps.maxPageSize, now: deps.now ?? (() => new Date()) });
  await app.register(jobRoutes, { pool: deps.pool });
  return app;
}
