import type { FastifyPluginAsync } from 'fastify';
import type { Pool } from '@userpipe/shared';

export const healthRoutes: FastifyPluginAsync<{ pool: Pool }> = async (app, { pool }) => {
  app.get('/healthz', { schema: { summary: 'The process answers', hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { summary: 'The database answers', hide: true } }, async (_req, reply) => {
    try {
      await pool.query('SELECT 1');
      return { status: 'ready' };
    } catch (err) {
      return reply.code(503).send({ status: 'not ready', postgres: (err as Error).message });
    }
  });
};
