import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { parameterProblem } from '../schemas';
import { ClientGoneError } from '../sendStream';

/** A request parameter that is wrong in a way the schema alone cannot say. */
export class BadParameterError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every 4xx names what was wrong; a 5xx says little and logs the rest. No internal error code
 * or message reaches a client.
 */
export const errorReplies = fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      // A request for which no route exists gets its 404 or 405, whatever Fastify tripped on first.
      if (request.is404) return app.answerUnrouted(request, reply);
      if (error instanceof ClientGoneError) {
        request.log.info('client went away before the reply started');
        return reply.code(499).send();
      }
      if (error instanceof BadParameterError) {
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', parameter: error.parameter, message: error.message });
      }
      const problem = error.validation?.[0];
      if (problem) {
        if (problem.keyword === 'additionalProperties') {
          const name = String((problem.params as { additionalProperty: string }).additionalProperty);
          return reply.code(400).send({ statusCode: 400, error: 'Bad Request', parameter: name, message: `unknown parameter "${name}"` });
        }
        const name = problem.instancePath.replace(/^\//, '') || String((problem.params as { missingProperty?: string }).missingProperty ?? '');
        if (name === '') return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: `the request ${error.validationContext ?? 'input'} is invalid` });
        const message = `${name} ${parameterProblem(request.routeOptions.url, name) ?? problem.message ?? 'is invalid'}`;
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', parameter: name, message });
      }
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
      }
      // Fastify's own 4xx (a malformed JSON body, an unsupported media type): its message, never its code.
      return reply.code(status).send({ statusCode: status, error: httpStatusText(status), message: publicMessage(error) });
    });
  },
  { name: 'error-replies', dependencies: ['route-contract'] },
);

function httpStatusText(status: number): string {
  return { 400: 'Bad Request', 413: 'Payload Too Large', 415: 'Unsupported Media Type' }[status] ?? 'Client Error';
}

function publicMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the body is empty but Content-Type says JSON: send a JSON object, or no Content-Type';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported Content-Type: send application/json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the body is too large';
    default:
      return error.statusCode === 400 ? 'the request is malformed' : error.message;
  }
}
