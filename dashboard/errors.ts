import createError from '@fastify/error';

/** The configuration cannot be used; nothing was started. The message lists every problem. */
export const ConfigInvalidError = createError('COBREW_ERR_CONFIG_INVALID', '%s');

export const HttpPortInUseError = createError(
  'COBREW_ERR_HTTP_PORT_IN_USE',
  'HTTP port %s on %s is already in use. Pass --http-port <n> or set COBREW_HTTP_PORT to use another port.',
);
