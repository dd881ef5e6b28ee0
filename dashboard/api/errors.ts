// Typed errors of the HTTP API. Every answer that is not a success has fastify's shape
// { statusCode, code: 'COBREW_ERR_…', error, message }, and the message says what to do.
import createError from '@fastify/error';

export const InvalidRequestError = createError<'COBREW_ERR_INVALID', [string]>(
  'COBREW_ERR_INVALID',
  '%s',
  400,
);

export const NotLoggedInError = createError<'COBREW_ERR_NOT_LOGGED_IN', []>(
  'COBREW_ERR_NOT_LOGGED_IN',
  'Log in first: POST /api/auth/login with {"name": …, "password": …}',
  401,
);

export const NoUsersError = createError<'COBREW_ERR_NO_USERS', []>(
  'COBREW_ERR_NO_USERS',
  'No dashboard user exists yet. On the machine that runs cobrew, create the first admin with: ' +
    'cobrew user add <name> --role admin',
  401,
);

export const LoginFailedError = createError<'COBREW_ERR_LOGIN_FAILED', []>(
  'COBREW_ERR_LOGIN_FAILED',
  'Wrong user name or password; check both and try again',
  401,
);

export const TooManyLoginsError = createError<'COBREW_ERR_TOO_MANY_LOGINS', [number]>(
  'COBREW_ERR_TOO_MANY_LOGINS',
  'Too many failed logins from this address or for this user name; wait %s seconds and try again',
  429,
);

export const CsrfError = createError<'COBREW_ERR_CSRF', []>(
  'COBREW_ERR_CSRF',
  'The x-csrf-token header is missing or wrong; send the csrfToken of GET /api/auth/me with every POST, ' +
    'PUT, PATCH and DELETE',
  403,
);

export const ForbiddenError = createError<'COBREW_ERR_FORBIDDEN', [string, string]>(
  'COBREW_ERR_FORBIDDEN',
  'This needs the %s role or a higher one, and you are %s; ask an admin to change your role',
  403,
);

export const UnknownFermenterError = createError<'COBREW_ERR_UNKNOWN_FERMENTER', [string]>(
  'COBREW_ERR_UNKNOWN_FERMENTER',
  'There is no fermenter "%s"; GET /api/fermenters lists them',
  404,
);

export const RouteNotFoundError = createError<'COBREW_ERR_NOT_FOUND', [string, string]>(
  'COBREW_ERR_NOT_FOUND',
  'There is no %s %s here; /docs lists every route of the API',
  404,
);

export const BridgeTimeoutError = createError<'COBREW_ERR_BRIDGE_TIMEOUT', [string, number]>(
  'COBREW_ERR_BRIDGE_TIMEOUT',
  'No bridge answered the command for fermenter %s within %s ms; check that its bridge runs and reaches ' +
    'the MQTT broker, and look at its state before sending the command again',
  504,
);

export const MqttDisconnectedError = createError<'COBREW_ERR_MQTT_DISCONNECTED', []>(
  'COBREW_ERR_MQTT_DISCONNECTED',
  'The dashboard is not connected to the MQTT broker, so the command was not sent; check that the broker ' +
    'runs (GET /healthz) and try again',
  503,
);

export const InternalError = createError<'COBREW_ERR_INTERNAL', [string]>(
  'COBREW_ERR_INTERNAL',
  'Something failed inside cobrew (request %s); its log has the details',
  500,
);

/** The bridge refused a command: its own code and message, answered as a 400. */
export class CommandRefusedError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CommandRefusedError';
  }
}
