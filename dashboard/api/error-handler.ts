// One error shape for every answer that is not a success: { statusCode, code: 'COBREW_ERR_…', error,
// message }. fastify's own errors (bad JSON, wrong content type, unknown route) get cobrew codes too, and an
// unexpected failure says where to look without showing its insides.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import { InternalError, RouteNotFoundError } from './errors.js';

const FROM_FASTIFY: Record<string, { code: string; message: (err: FastifyError) => string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'COBREW_ERR_UNSUPPORTED_MEDIA_TYPE',
    message: () => 'Send the body as JSON, with the header content-type: application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'COBREW_ERR_INVALID_JSON',
    message: (err) => `The body is not valid JSON (${err.message}); send one JSON object`,
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'COBREW_ERR_INVALID_JSON',
    message: () => 'The body is empty although content-type says JSON; send one JSON object',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'COBREW_ERR_BODY_TOO_LARGE',
    message: () => 'The body is too large; send at most 1 MiB',
  },
};

export interface ApiErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

export function errorBody(statusCode: number, code: string, message: string): ApiErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let body: ApiErrorBody;
    const status = err.statusCode ?? 500;
    const known = FROM_FASTIFY[err.code];
    if (err.code === 'COBREW_ERR_INVALID') {
      // Also the checkers of firmware-bridge and broker, which do not know they are behind HTTP.
      body = errorBody(400, err.code, err.message);
    } else if (typeof err.code === 'string' && err.code.startsWith('COBREW_ERR_')) {
      body = errorBody(status, err.code, err.message);
    } else if (known !== undefined) {
      body = errorBody(status, known.code, known.message(err));
    } else if (status < 500) {
      body = errorBody(status, 'COBREW_ERR_BAD_REQUEST', err.message);
    } else {
      body = errorBody(500, 'COBREW_ERR_INTERNAL', new InternalError(req.id).message);
    }
    if (body.statusCode >= 500) req.log.error({ err, url: req.url }, 'request failed');
    return reply.code(body.statusCode).send(body);
  });

  app.setNotFoundHandler((req, reply) => {
    const err = new RouteNotFoundError(req.method, req.url.split('?')[0] ?? req.url);
    return reply.code(404).send(errorBody(404, err.code, err.message));
  });
}
