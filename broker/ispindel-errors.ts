// Typed errors of the iSpindel path: a refused value, a refused token, a post with no credential.
import createError from '@fastify/error';

export const IspindelValueError = createError<'COBREW_ERR_ISPINDEL_VALUE', [string, string, string, string]>(
  'COBREW_ERR_ISPINDEL_VALUE',
  'iSpindel "%s" sent %s = %s: %s. Check its formula and firmware settings.',
);

export const IspindelTokenError = createError<'COBREW_ERR_ISPINDEL_TOKEN', [string]>(
  'COBREW_ERR_ISPINDEL_TOKEN',
  'iSpindel "%s" posted without the token cobrew.yaml gives it (`token:` under `ispindels:`). Enter the same ' +
    'token in the iSpindel\'s portal (HTTP service, "Token" field).',
  403,
);

export const IspindelAuthError = createError<'COBREW_ERR_ISPINDEL_AUTH', []>(
  'COBREW_ERR_ISPINDEL_AUTH',
  "An iSpindel reading moves a fermenter's profile, so it needs the iSpindel's token (its Token field) or " +
    'a logged-in brewer or admin with the x-csrf-token header',
  401,
);
