import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyError, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { errorSchema, parameterProblem } from '../schemas';
import { BadParameterError } from './errorReplies';

// What every route promises beyond its own schema, kept in one place so that no route can
// forget it and the OpenAPI document says it for each of them.

/** The longest path parameter: a user id (128 characters) fits. */
export const MAX_PARAM_LENGTH = 128;

const tooLong = Type.Object(
  { statusCode: Type.Literal(414), error: Type.String(), message: Type.String() },
  { description: `A path parameter is longer than ${MAX_PARAM_LENGTH} characters` },
);
const headersTooLarge = { description: 'The request headers (the URL included) are larger than the server accepts; no body' };

interface KnownPath {
  pattern: RegExp;
  methods: Set<string>;
}

/** `/jobs/:id` → a pattern that a concrete path such as `/jobs/123` matches. */
function pathPattern(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part === '*' ? '.*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}$`);
}

export function hasRequiredFields(schema: unknown): boolean {
  return ((schema as { required?: string[] }).required ?? []).length > 0;
}

/** The integer query parameters of a route's schema, which must be written as plain digits. */
function integerParameters(schema: TSchema | undefined): string[] {
  const properties = (schema as { properties?: Record<string, { type?: string }> } | undefined)?.properties ?? {};
  return Object.entries(properties)
    .filter(([, p]) => p.type === 'integer')
    .map(([name]) => name);
}

/**
 * - An unknown query parameter is a 400 naming it, on every route: a route that takes none
 *   declares none (a typo must not be silently ignored).
 * - Integer parameters take digits only: the validator alone would read `0x10` as 16 and
 *   `1e3` as 1000.
 * - A body whose fields are all optional may be left out altogether.
 * - A method a path does not support is a 405 with `Allow`, not a 404.
 * - The document lists the errors any request may get: 400, 414 for a path parameter longer
 *   than MAX_PARAM_LENGTH, 431 for overlarge headers (answered by Node itself), and 413 and 415 for a
 *   body too large or not JSON.
 */
export const routeContract = fp<{ docsPrefix: string }>(
  async (app, opts) => {
    const known = new Map<string, KnownPath>();

    app.addHook('onRoute', (route: RouteOptions) => {
      if (route.url.startsWith(opts.docsPrefix)) return; // the docs pages' own routes
      const path = known.get(route.url) ?? { pattern: pathPattern(route.url), methods: new Set<string>() };
      for (const method of [route.method].flat()) path.methods.add(method);
      known.set(route.url, path);

      const schema = (route.schema ??= {});
      schema.querystring ??= Type.Object({}, { additionalProperties: false });
      const response = (schema.response ??= {}) as Record<string, unknown>;
      response[400] ??= errorSchema;
      if (route.url.includes(':')) response[414] ??= tooLong;
      response[431] ??= headersTooLarge;
      if (schema.body) {
        response[413] ??= { ...errorSchema, description: 'The body is larger than the server accepts' };
        response[415] ??= { ...errorSchema, description: 'The body is not application/json' };
      }

      const checks: ((request: FastifyRequest) => Promise<void>)[] = [];
      const integers = integerParameters(schema.querystring as TSchema);
      if (integers.length > 0) {
        checks.push(async (request) => {
          const query = request.query as Record<string, unknown>;
          for (const name of integers) {
            const raw = query[name];
            if (typeof raw === 'string' && !/^[0-9]+$/.test(raw)) throw new BadParameterError(name, `${name} ${parameterProblem(route.url, name) ?? 'must be written in digits'}`);
          }
        });
      }
      if (schema.body && !hasRequiredFields(schema.body)) {
        // A body with nothing required may be left out, as an empty object (see optionalBodies).
        checks.push(async (request) => {
          if (request.body === undefined) request.body = {};
        });
      }
      if (checks.length > 0) route.preValidation = [...checks, ...[route.preValidation ?? []].flat()];
    });

    const answerUnrouted = (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0]!;
      const allowed = new Set<string>();
      for (const { pattern, methods } of known.values()) if (pattern.test(path)) methods.forEach((m) => allowed.add(m));
      if (allowed.size > 0) {
        return reply
          .code(405)
          .header('allow', [...allowed].sort().join(', '))
          .send({ statusCode: 405, error: 'Method Not Allowed', message: `${request.method} is not supported here; use ${[...allowed].sort().join(', ')}` });
      }
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such resource' });
    };
    app.setNotFoundHandler(answerUnrouted);
    // Also for requests Fastify refuses before they reach the not-found handler (a QUERY without
    // a Content-Type): the error handler calls this for them.
    app.decorate('answerUnrouted', answerUnrouted);
  },
  { name: 'route-contract' },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** The 404 or 405 of a request no route takes (routeContract). */
    answerUnrouted(request: FastifyRequest, reply: FastifyReply): FastifyReply;
  }
}

/**
 * Fastify's answers to requests that reach no route, without echoing the request back (its
 * defaults repeat the whole path, of any length, and an internal error code).
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.code(414).send({ statusCode: 414, error: 'URI Too Long', message: `a path parameter is longer than ${MAX_PARAM_LENGTH} characters` });
    return;
  }
  void reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'the URL is not valid' });
}
