import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { selectRebuildJob, selectRejections, type Pool } from '@userpipe/shared';
import { Type } from '@sinclair/typebox';
import { errorSchema, jobSchema, rejectionSchema } from '../schemas';

export const jobRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  app.get(
    '/jobs/:id',
    {
      schema: {
        summary: 'A rebuild job: its state and, once done, its counts',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: jobSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const job = await selectRebuildJob(pool, request.params.id);
      if (!job) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no job ${request.params.id}` });
      return job;
    },
  );

  app.get(
    '/rejections',
    { schema: { summary: 'User files currently rejected, with the reason', response: { 200: Type.Array(rejectionSchema) } } },
    async () => selectRejections(pool),
  );
};
