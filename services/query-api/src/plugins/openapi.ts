import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { hasRequiredFields } from './routeContract';

export const DOCS_PREFIX = '/docs';

/** The OpenAPI 3 document, generated from the route schemas so it cannot drift, and a docs page at /docs. */
export const openApi = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'userpipe query API',
          version: '1.0.0',
          description: 'Users derived from the files in bucket src: read them, filtered; ask for them to be reprocessed.',
        },
      },
      // @fastify/swagger marks every request body required; one whose fields are all optional may
      // be left out (the route contract makes it an empty object), and the document says so.
      transformObject: (documentObject) => {
        if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
        const { openapiObject } = documentObject;
        for (const operations of Object.values(openapiObject.paths ?? {})) {
          for (const operation of Object.values(operations as Record<string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> } }>)) {
            const body = operation.requestBody;
            if (body && !Object.values(body.content ?? {}).some((media) => hasRequiredFields(media.schema ?? {}))) body.required = false;
          }
        }
        return openapiObject;
      },
    });
    await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'openapi' },
);
