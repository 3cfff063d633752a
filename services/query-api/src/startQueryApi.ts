import { amqpUrl, createPool, type Logger, type QueryApiSettings } from '@userpipe/shared';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { RebuildRequests } from './rebuildRequests';

export interface RunningQueryApi {
  url: string;
  app: FastifyInstance;
  stop(): Promise<void>;
}

/** Connects as the read-only role, builds the app and listens. */
export async function startQueryApi(settings: QueryApiSettings, logger: Logger, now?: () => Date): Promise<RunningQueryApi> {
  const pool = createPool({ ...settings, POSTGRES_USER: settings.QUERY_POSTGRES_USER, POSTGRES_PASSWORD: settings.QUERY_POSTGRES_PASSWORD }, logger);
  const rebuildRequests = new RebuildRequests(amqpUrl(settings), settings.REBUILD_QUEUE, logger);
  const app = await buildApp({ pool, rebuildRequests, logger, maxPageSize: settings.API_MAX_PAGE_SIZE, now });
  const url = await app.listen({ host: settings.API_HOST, port: settings.API_PORT });
  return {
    url,
    app,
    async stop() {
      await app.close();
      await rebuildRequests.close();
      await pool.end();
    },
  };
}
