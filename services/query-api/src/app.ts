import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { healthEndpoints, type Logger, type MinioClient, type Pool } from '@userpipe/shared';
import { randomUUID } from 'node:crypto';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { apiProbes } from './apiProbes';
import type { Asset } from './consoleAssets';
import type { PoolState } from './poolHealth';
import { errorReplies } from './plugins/errorReplies';
import { apiMetrics } from './plugins/metrics';
import { DOCS_PREFIX, openApi } from './plugins/openapi';
import { frameworkErrors, MAX_PARAM_LENGTH, routeContract } from './plugins/routeContract';
import { sameOriginWrites } from './plugins/sameOriginWrites';
import { securityHeaders } from './plugins/securityHeaders';
import type { RebuildRequests } from './rebuildRequests';
import type { PipelineStatus } from './schemas';
import { consoleRoutes } from './routes/console';
import { dataRoutes } from './routes/data';
import { jobRoutes } from './routes/jobs';
import { rejectionRoutes } from './routes/rejections';
import { pictureRoutes } from './routes/pictures';
import { statusRoutes } from './routes/status';

export interface AppDeps {
  /** The primary: jobs and rebuild requests, which must be read right after they are written. */
  pool: Pool;
  /** Users, their pictures' rows and rejections: a replica when there is one (POSTGRES_READ_HOST), else `pool`. */
  readPool: Pool;
  poolState: () => PoolState;
  rebuildRequests: RebuildRequests;
  logger: Logger;
  maxPageSize: number;
  /** A reply that sends nothing for this long is cut off. */
  stallTimeoutMs: number;
  /** /healthz fails once the pool has had no free connection for this long. */
  poolStarvedMs: number;
  /** The time ages are computed at; tests fix it. */
  now?: () => Date;
  /** The query API's own MinIO client (read-only on the source bucket), for pictures. */
  minio: MinioClient;
  srcBucket: string;
  /** GET /status (pipelineStatus.ts). */
  status: () => Promise<PipelineStatus>;
  /** The web console's files (consoleAssets.ts). */
  consoleAssets: Map<string, Asset>;
}

/**
 * The query API and its console: plugins first (route contract, same-origin writes, errors,
 * metrics, security headers, OpenAPI), then the health endpoints every service serves (shared),
 * then the routes, which take what they need.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // As Fastify's own logger type, so that the app's type is the plain FastifyInstance the callers take.
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // An unknown query parameter must be an error, not silently dropped (a typo would return everyone).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
    // The socket idle timeout: a reply that makes no progress (a client that stopped reading, a
    // query that hangs) is cut off, which tears its stream down (see sendStream).
    connectionTimeout: deps.stallTimeoutMs,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  await app.register(routeContract, { docsPrefix: DOCS_PREFIX });
  await app.register(sameOriginWrites);
  await app.register(errorReplies);
  await app.register(apiMetrics, { registry, poolState: deps.poolState });
  await app.register(securityHeaders, { docsPrefix: DOCS_PREFIX });
  await app.register(openApi);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const now = deps.now ?? (() => new Date());
  await app.register(healthEndpoints, { registry, ...apiProbes({ pool: deps.pool, readPool: deps.readPool, poolState: deps.poolState, starvedAfterMs: deps.poolStarvedMs }) });
  await app.register(dataRoutes, { pool: deps.pool, readPool: deps.readPool, rebuildRequests: deps.rebuildRequests, maxPageSize: deps.maxPageSize, now });
  await app.register(jobRoutes, { pool: deps.pool, maxPageSize: deps.maxPageSize, now });
  await app.register(rejectionRoutes, { readPool: deps.readPool, maxPageSize: deps.maxPageSize });
  await app.register(pictureRoutes, { pool: deps.readPool, minio: deps.minio, srcBucket: deps.srcBucket });
  await app.register(statusRoutes, { status: deps.status });
  await app.register(consoleRoutes, { assets: deps.consoleAssets });
  return app;
}
