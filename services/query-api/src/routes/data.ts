import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  copyApiUsersSql,
  copyUsersCsvSql,
  requestRebuild,
  selectUsersPage,
  userFilterSql,
  type Pool,
  type PoolClient,
  type UserFilter,
} from '@userpipe/shared';
import { to as copyTo } from 'pg-copy-streams';
import { Type } from '@sinclair/typebox';
import type { Readable } from 'node:stream';
import { jsonArrayStream } from '../jsonArrayStream';
import { encodeCursor, parseDataQuery } from '../parseDataQuery';
import { dataQuerySchema, errorSchema, jobSchema, userSchema } from '../schemas';
import type { RebuildRequests } from '../rebuildRequests';

export interface DataRouteOptions {
  pool: Pool;
  rebuildRequests: RebuildRequests;
  maxPageSize: number;
  now: () => Date;
}

/** Streams a query's result from a pooled connection, giving the connection back however the reply ends. */
async function streamFrom(pool: Pool, make: (client: PoolClient) => Readable): Promise<Readable> {
  const client = await pool.connect();
  const stream = make(client);
  let released = false;
  const release = (discard: boolean) => {
    if (released) return;
    released = true;
    // A stream cut short may leave the connection mid-protocol: discard it rather than reuse it.
    client.release(discard || undefined);
  };
  stream.once('end', () => release(false));
  stream.once('error', () => release(true));
  stream.once('close', () => release(true));
  return stream;
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
          200: Type.Array(userSchema, { description: 'The users; or text/csv: user_id,first_name,last_name,birthts,img_path' }),
          400: errorSchema,
        },
        produces: ['application/json', 'text/csv'],
      },
    },
    async (request, reply) => {
      const { filter, limit, format } = parseDataQuery(request.query, request.headers.accept, now());

      if (format === 'csv') {
        if (limit !== undefined) {
          const end = await csvPageEnd(pool, filter, limit);
          if (end.hasMore && end.lastUserId !== undefined) reply.header('link', nextLink(request.url, encodeCursor(end.lastUserId)));
        }
        const csv = await streamFrom(pool, (client) => client.query(copyTo(copyUsersCsvSql(filter, limit))));
        // A stream is piped as it is; the response schema describes it for the OpenAPI document.
        return reply.type('text/csv; charset=utf-8').send(csv as never);
      }

      if (limit !== undefined) {
        const page = await selectUsersPage(pool, filter, limit);
        if (page.hasMore && page.lastUserId !== undefined) reply.header('link', nextLink(request.url, encodeCursor(page.lastUserId)));
        // Already JSON text, built the same way as the stream below.
        return reply.type('application/json; charset=utf-8').send(`[${page.users.join(',')}]` as never);
      }

      // The whole result, streamed out of COPY: flat memory for a million users.
      const rows = await streamFrom(pool, (client) => client.query(copyTo(copyApiUsersSql(filter))));
      return reply.type('application/json; charset=utf-8').send(rows.pipe(jsonArrayStream()) as never);
    },
  );

  app.post(
    '/data',
    {
      schema: {
        summary: 'Ask for a full reprocess',
        description: 'Records a rebuild and returns at once. While one is queued or running, the request joins it.',
        response: { 202: Type.Object({ job: jobSchema, joined: Type.Boolean({ description: 'true when an earlier request\'s job is returned' }) }) },
      },
    },
    async (request, reply) => {
      const { job, created } = await requestRebuild(pool, request.ip);
      if (created) await rebuildRequests.announce(job.id);
      return reply.code(202).header('location', `/jobs/${job.id}`).send({ job, joined: !created });
    },
  );
};
