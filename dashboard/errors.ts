import createError from '@fastify/error';

export const HttpPortInUseError = createError(
  'COBREW_ERR_HTTP_PORT_IN_USE',
  'HTTP port %s on %s is already in use. Pass --http-port <n> or set COBREW_HTTP_PORT to use another port.',
);
