import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { copyRejectionsJsonSql, selectPreviousRejectionsPage, selectRejectionsPage, type Pool } from '@userpipe/shared';
import { Type } from '@sinclair/typebox';
import { copyOut } from '../copyOut';
import { jsonValuesArrayStream } from '../jsonArrayStream';
import { pageLinks } from '../pageLinks';
import { errorSchema, rejectionSchema, rejectionsQuerySchema } from '../schemas';
import { sendStream } from '../sendStream';

export interface RejectionRouteOptions {
  /** A replica when there is one. */
  readPool: Pool;
  maxPageSize: number;
}

export const rejectionRoutes: FastifyPluginAsyncTypebox<RejectionRouteOptions> = async (app, { readPool, maxPageSize }) => {
  app.get(
    '/rejections',
    {
      schema: {
        summary: 'User files currently rejected, with the reason, in key order',
        description:
          'Every rejection, streamed, or one page of them with `limit` (the Link header gives the next and previous pages, as for GET /data).',
        querystring: rejectionsQuerySchema(maxPageSize),
        response: { 200: Type.Array(rejectionSchema), 400: errorSchema },
      },
    },
    async (request, reply) => {
      const { limit, cursor } = request.query;
      if (limit === undefined) {
        // Streamed out of COPY, as GET /data is: however many files are rejected, memory stays flat.
        return sendStream(reply, 'application/json; charset=utf-8', await copyOut(readPool, copyRejectionsJsonSql(cursor)), jsonValuesArrayStream());
      }
      const [page, previous] = await Promise.all([
        selectRejectionsPage(readPool, cursor, limit),
        cursor === undefined ? ({ kind: 'none' } as const) : selectPreviousRejectionsPage(readPool, cursor, limit),
      ]);
      const links = pageLinks(request.url, page.hasMore ? page.lastKey : undefined, previous);
      if (links) reply.header('link', links);
      // Already JSON text, built by Postgres as the stream's rows are.
      return reply.type('application/json; charset=utf-8').send(`[${page.rejections.join(',')}]` as never);
    },
  );
};
