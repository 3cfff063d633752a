import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { errorSchema } from '../schemas';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a browser request must not change anything, or null when it may: a request another site
 * made the browser send (Sec-Fetch-Site, which every current browser sends and no page can set),
 * or whose Origin is not this server. Clients other than browsers (curl, scripts) send neither
 * and are not concerned.
 */
export function crossSiteWrite(headers: { 'sec-fetch-site'?: string; origin?: string; host?: string }): string | null {
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return 'requests from another site may not change anything here';
  const origin = headers.origin;
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host === undefined || host !== headers.host) return 'requests from another origin may not change anything here';
  }
  return null;
}

/**
 * The console is the only page that may make the API change something (its "Rebuild now", a
 * POST /data): a page of another site cannot, even with a request that needs no CORS preflight.
 * Every route that changes something documents its 403.
 */
export const sameOriginWrites = fp(
  async (app) => {
    app.addHook('onRoute', (route: RouteOptions) => {
      if ([route.method].flat().every((m) => SAFE.has(m))) return;
      const schema = (route.schema ??= {});
      const response = (schema.response ??= {}) as Record<string, unknown>;
      response[403] ??= { ...errorSchema, description: 'Sent by a browser on behalf of a page of another origin' };
    });
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (SAFE.has(request.method)) return;
      const refusal = crossSiteWrite(request.headers);
      if (refusal) return reply.code(403).send({ statusCode: 403, error: 'Forbidden', message: refusal });
    });
  },
  { name: 'same-origin-writes' },
);
