// Typed errors of the dashboard's accounts: each says what is wrong and what to do.
import createError from '@fastify/error';

export const UserNameInvalidError = createError<'COBREW_ERR_USER_NAME_INVALID', [string]>(
  'COBREW_ERR_USER_NAME_INVALID',
  'User name %s is not allowed: use 1 to 64 letters, digits, ".", "_", "-" or "@", starting with a letter or digit',
  400,
);

export const RoleInvalidError = createError<'COBREW_ERR_ROLE_INVALID', [string, string]>(
  'COBREW_ERR_ROLE_INVALID',
  'Role %s does not exist; use one of %s',
  400,
);

export const PasswordTooShortError = createError<'COBREW_ERR_PASSWORD_TOO_SHORT', [number]>(
  'COBREW_ERR_PASSWORD_TOO_SHORT',
  'The password is too short; use at least %s characters',
  400,
);

export const UserExistsError = createError<'COBREW_ERR_USER_EXISTS', [string]>(
  'COBREW_ERR_USER_EXISTS',
  'Dashboard user %s already exists; remove it first with `cobrew user remove` to replace it',
  409,
);

export const UserUnknownError = createError<'COBREW_ERR_USER_UNKNOWN', [string]>(
  'COBREW_ERR_USER_UNKNOWN',
  'There is no dashboard user %s; `cobrew user list` shows who exists',
  404,
);

export const PasswordMismatchError = createError(
  'COBREW_ERR_PASSWORD_MISMATCH',
  'The two passwords differ; run the command again and type the same password twice',
);

export const DashboardDbTooNewError = createError<
  'COBREW_ERR_DASHBOARD_DB_TOO_NEW',
  [string, number, number]
>(
  'COBREW_ERR_DASHBOARD_DB_TOO_NEW',
  '%s was written by a newer cobrew (schema %s; this one reads up to %s). Run that version, or restore a ' +
    'copy of the data directory made by this one.',
  500,
);
