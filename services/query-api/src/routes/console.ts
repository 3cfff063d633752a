import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Asset } from '../consoleAssets';
import { CONSOLE_CSP } from '../plugins/securityHeaders';
import { parseIfNoneMatch } from '../pictureStore';

/**
 * The web console (services/query-api/console): its page at `/` and its files under `/console/`,
 * from memory. Not API operations, so not in the OpenAPI document. A file is asked again on
 * every load (no-cache) and costs a 304 when unchanged, so a new build is picked up at once.
 */
export const consoleRoutes: FastifyPluginAsyncTypebox<{ assets: Map<string, Asset> }> = async (app, { assets }) => {
  const send = (request: FastifyRequest, reply: FastifyReply, asset: Asset | undefined) => {
    if (!asset) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such resource' });
    reply.header('etag', asset.etag).header('cache-control', 'no-cache').header('content-security-policy', CONSOLE_CSP);
    const known = parseIfNoneMatch(request.headers['if-none-match']);
    if (known === '*' || known.includes(asset.etag.slice(1, -1))) return reply.code(304).send();
    return reply.type(asset.contentType).send(asset.body);
  };

  app.get('/', { schema: { hide: true } }, async (request, reply) => send(request, reply, assets.get('/')));
  app.get(
    '/console/:file',
    { schema: { hide: true, params: Type.Object({ file: Type.String({ pattern: '^[A-Za-z0-9_-]+\\.(js|css|png)$' }) }) } },
    async (request, reply) => send(request, reply, assets.get(`/console/${request.params.file}`)),
  );
};
