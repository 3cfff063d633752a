import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorSchema, statusSchema, type PipelineStatus } from '../schemas';

export const statusRoutes: FastifyPluginAsyncTypebox<{ status: () => Promise<PipelineStatus> }> = async (app, { status }) => {
  app.get(
    '/status',
    {
      schema: {
        summary: 'The pipeline at a glance',
        description:
          'The ingest queue (depth, consumers), its dead letters and delay queues, the rebuild requests queue, the latest export of output.csv, ' +
          'how many users and rejections there are, the rebuild queued or running, and whether each service and dependency is ready. ' +
          'Gathered at most once a second, however many clients ask; a part that cannot be read says why.',
        response: { 200: statusSchema, 400: errorSchema },
      },
    },
    async () => status(),
  );
};
