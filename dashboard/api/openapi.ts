// The API's OpenAPI document, made from the routes' own schemas, at /docs/json, and Swagger UI at /docs with
// its assets served from this machine (no CDN, no online validator): the dashboard may run offline.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { packageVersion } from '../../common/version.js';
import { SESSION_COOKIE } from './session-cookie.js';

export const DOCS_PREFIX = '/docs';

/** Register before any route, so that every route is seen. */
export function registerOpenApi(app: FastifyInstance): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'cobrew dashboard API',
        version: packageVersion(),
        description:
          'Log in with POST /api/auth/login; the session cookie then goes with every request, and every ' +
          'POST, PUT, PATCH and DELETE carries the csrfToken of GET /api/auth/me in the x-csrf-token header. ' +
          'Errors: { statusCode, code: "COBREW_ERR_…", error, message }. See docs/api.md.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
      security: [{ session: [] }],
    },
    // Routes that need no session say so in the document.
    transform: ({ schema, url, route }) => {
      const isPublic = route.config?.public === true || !url.startsWith('/api/');
      return { schema: isPublic ? { ...schema, security: [] } : schema, url } as never;
    },
  });
  app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { validatorUrl: null, docExpansion: 'list', deepLinking: true },
    staticCSP: true,
  });
}
