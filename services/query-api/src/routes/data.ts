import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { copyApiUsersSql, copyUsersCsvSql, requestRebuild, selectUsersPage, userFilterSql, type Pool, type UserFilter } from '@userpipe/shared';
import { Type } from '@sinclair/typebox';
import { copyOut } from '../copyOut';
import { jsonArrayStream } from '../jsonArrayStream';
import { parseDataQuery } from '../parseDataQuery';
import { dataQuerySchema, errorSchema, jobSchema, rebuildRequestSchema, userSchema } from '../schemas';
import { sendStream } from '../sendStream';
import type { RebuildRequests } from '../rebuildRequests';

export interface DataRouteOptions {
  pool: Pool;
  rebuildRequests: RebuildRequests;
  maxPageSize: number;
  now: () => Date;
}

function nextLink(url: string, cursor: string): string {
  const next = new URL(url, 'http://placeholder');
  next.searchParams.set('cursor', cursor);
  return `<${next.pathname}${next.search}>; rel="next"`;
}

/** The last user id on a CSV page, and whether another page follows (CSV pages come straight from COPY). */
async function csvPageEnd(pool: Pool, filter: UserFilter, limit: number): Promise<{ lastUserId?: string; hasMore: boolean }> {
  const where = userFilterSql(filter);
  const { rows } = await pool.query<{ user_id: string }>(
    `SELECT user_id FROM users WHERE ${where.text} ORDER BY user_id OFFSET ${limit - 1} LIMIT 2`,
    where.values,
  );
  return { lastUserId: rows[0]?.user_id, hasMore: rows.length === 2 };
}

export const dataRoutes: FastifyPluginAsyncTypebox<DataRouteOptions> = async (app, { pool, rebuildRequests, maxPageSize, now }) => {
  app.get(
    '/data',
    {
      schema: {
        summary: 'Users, filtered, in user_id order',
        description:
          'Streams every matching user, or one page of them with `limit` (the next page is in the `Link` header, rel="next"). ' +
          'JSON by default; CSV in the format of output.csv with `format=csv` or `Accept: text/csv`.',
        querystring: dataQuerySchema(maxPageSize),
        response: {
          200: {
            description: 'The users',
            content: {
              'application/json': { schema: Type.Array(userSchema) },
              'text/csv': { schema: Type.String({ description: 'output.csv\'s format: a header user_id,first_name,last_name,birthts,img_path, then one row per user' }) },
            },
          },
          400: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const { filter, limit, format } = parseDataQuery(request.query, request.headers.accept, now());

      if (format === 'csv') {
        if (limit !== undefined) {
          const end = await csvPageEnd(pool, filter, limit);
          if (end.hasMore && end.lastUserId !== undefined) reply.header('link', nextLink(request.url, end.lastUserId));
        }
        return sendStream(reply, 'text/csv; charset=utf-8', await copyOut(pool, copyUsersCsvSql(filter, limit)));
      }

      if (limit !== undefined) {
        const page = await selectUsersPage(pool, filter, limit);
        if (page.hasMore && page.lastUserId !== undefined) reply.header('link', nextLink(request.url, page.lastUserId));
        // Already JSON text, built the same way as the stream below.
        return reply.type('application/json; charset=utf-8').send(`[${page.users.join(',')}]` as never);
      }

      // The whole result, streamed out of COPY: flat memory for a million users.
      return sendStream(reply, 'application/json; charset=utf-8', await copyOut(pool, copyApiUsersSql(filter)), jsonArrayStream());
    },
  );

  app.post(
    '/data',
    {
      schema: {
        summary: 'Ask for a reprocess of every user',
        description:
          'Records a rebuild job and returns at once; GET /jobs/{id} follows it. The rebuild reconciles every user with the bucket. ' +
          'By default it re-reads a csv only when its ETag changed since it was applied (files changed behind our back, lost events, deleted rows); ' +
          '`{"mode":"full"}` re-reads and re-applies every csv. While a job is queued or running, the request joins it ' +
          '(a full request turns a queued default job into a full one).',
        body: rebuildRequestSchema,
        response: { 202: Type.Object({ job: jobSchema, joined: Type.Boolean({ description: 'true when an earlier request\'s job is returned' }) }), 400: errorSchema },
      },
    },
    async (request, reply) => {
      const { job, created } = await requestRebuild(pool, request.ip, request.body?.mode ?? 'default');
      if (created) await rebuildRequests.announce(job.id);
      return reply.code(202).header('location', `/jobs/${job.id}`).send({ job, joined: !created });
    },
  );
};
