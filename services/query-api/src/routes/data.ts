import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  copyApiUsersSql,
  copyUsersCsvSql,
  countUsersCapped,
  requestRebuild,
  selectPreviousUsersPage,
  selectUsersPage,
  userFilterSql,
  type Pool,
  type UserFilter,
} from '@userpipe/shared';
import { Type } from '@sinclair/typebox';
import { copyOut } from '../copyOut';
import { presentJob } from '../presentJobs';
import { jsonArrayStream } from '../jsonArrayStream';
import { pageLinks } from '../pageLinks';
import { parseDataQuery, parseUserFilter } from '../parseDataQuery';
import { COUNT_CAP, countQuerySchema, countSchema, dataQuerySchema, errorSchema, jobSchema, rebuildRequestSchema, userSchema } from '../schemas';
import { sendStream } from '../sendStream';
import type { RebuildRequests } from '../rebuildRequests';

export interface DataRouteOptions {
  /** The primary: rebuild requests. */
  pool: Pool;
  /** Users (a replica when there is one). */
  readPool: Pool;
  rebuildRequests: RebuildRequests;
  maxPageSize: number;
  now: () => Date;
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

export const dataRoutes: FastifyPluginAsyncTypebox<DataRouteOptions> = async (app, { pool, readPool, rebuildRequests, maxPageSize, now }) => {
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
          const [end, previous] = await Promise.all([csvPageEnd(readPool, filter, limit), selectPreviousUsersPage(readPool, filter, limit)]);
          const links = pageLinks(request.url, end.hasMore ? end.lastUserId : undefined, previous);
          if (links) reply.header('link', links);
        }
        return sendStream(reply, 'text/csv; charset=utf-8', await copyOut(readPool, copyUsersCsvSql(filter, limit)));
      }

      if (limit !== undefined) {
        const [page, previous] = await Promise.all([selectUsersPage(readPool, filter, limit), selectPreviousUsersPage(readPool, filter, limit)]);
        const links = pageLinks(request.url, page.hasMore ? page.lastUserId : undefined, previous);
        if (links) reply.header('link', links);
        // Already JSON text, built the same way as the stream below.
        return reply.type('application/json; charset=utf-8').send(`[${page.users.join(',')}]` as never);
      }

      // The whole result, streamed out of COPY: flat memory for a million users.
      return sendStream(reply, 'application/json; charset=utf-8', await copyOut(readPool, copyApiUsersSql(filter)), jsonArrayStream());
    },
  );

  app.get(
    '/data/count',
    {
      schema: {
        summary: 'How many users a filter of GET /data matches',
        description: `The filters of GET /data. Counting stops at ${COUNT_CAP}: beyond, \`capped\` is true and the answer is "more than ${COUNT_CAP}".`,
        querystring: countQuerySchema,
        response: { 200: countSchema, 400: errorSchema },
      },
    },
    async (request) => countUsersCapped(readPool, parseUserFilter(request.query, now()), COUNT_CAP),
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
      return reply.code(202).header('location', `/jobs/${job.id}`).send({ job: await presentJob(pool, job, now()), joined: !created });
    },
  );
};
