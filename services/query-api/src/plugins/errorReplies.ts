import type { FastifyError, FastifyInstance } from 'fastify';
import { BadParameterError } from '../parseDataQuery';
import { PARAMETER_PROBLEMS } from '../schemas';

/** Every 4xx names what was wrong; a 5xx says little and logs the rest. */
export function registerErrorReplies(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
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
      const message = `${name} ${PARAMETER_PROBLEMS[name] ?? problem.message ?? 'is invalid'}`;
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', parameter: name, message });
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ statusCode: status, error: status >= 500 ? 'Internal Server Error' : error.name, message: status >= 500 ? 'internal error' : error.message });
  });
}
