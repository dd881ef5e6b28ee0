// Errors of the control-state store; each names the file and the fix.
import createError from '@fastify/error';

export const StateStoreError = createError<'COBREW_ERR_STATE_STORE', [string, string]>(
  'COBREW_ERR_STATE_STORE',
  'The control state in %s cannot be used: %s. Fermenters are not started without it; restore a backup or move the file aside to start from cobrew.yaml',
);

export const UnknownStateFermenterError = createError<'COBREW_ERR_STATE_UNKNOWN_FERMENTER', [string, string]>(
  'COBREW_ERR_STATE_UNKNOWN_FERMENTER',
  'No control state is stored for fermenter "%s" (stored: %s); check the id',
);
