import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { selectJobsPage, selectPreviousJobsPage, selectRebuildJob, type Pool } from '@userpipe/shared';
import { Type } from '@sinclair/typebox';
import { pageLinks } from '../pageLinks';
import { presentJob, presentJobs } from '../presentJobs';
import { DEFAULT_JOBS_PAGE, errorSchema, jobSchema, jobsQuerySchema } from '../schemas';

export interface JobRouteOptions {
  /** The primary: jobs are read right after POST /data wrote them. */
  pool: Pool;
  maxPageSize: number;
  now: () => Date;
}

export const jobRoutes: FastifyPluginAsyncTypebox<JobRouteOptions> = async (app, { pool, maxPageSize, now }) => {
  app.get(
    '/jobs',
    {
      schema: {
        summary: 'Rebuild jobs, recent first, a page at a time',
        description: `A page of jobs (\`limit\`, default ${DEFAULT_JOBS_PAGE}); the Link header gives the next (older) and previous (newer) pages. A running job carries its progress.`,
        querystring: jobsQuerySchema(maxPageSize),
        response: { 200: Type.Array(jobSchema), 400: errorSchema },
      },
    },
    async (request, reply) => {
      const limit = request.query.limit ?? DEFAULT_JOBS_PAGE;
      const cursor = request.query.cursor;
      const [page, previous] = await Promise.all([
        selectJobsPage(pool, cursor, limit),
        cursor === undefined ? ({ kind: 'none' } as const) : selectPreviousJobsPage(pool, cursor, limit),
      ]);
      const links = pageLinks(request.url, page.hasMore ? page.jobs.at(-1)?.id : undefined, previous);
      if (links) reply.header('link', links);
      return presentJobs(pool, page.jobs, now());
    },
  );

  app.get(
    '/jobs/:id',
    {
      schema: {
        summary: 'A rebuild job: its state, its progress while it runs, its counts once done',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: jobSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const job = await selectRebuildJob(pool, request.params.id);
      if (!job) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no job ${request.params.id}` });
      return presentJob(pool, job, now());
    },
  );
};
