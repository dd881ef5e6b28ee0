// Errors of the fleet as a whole.
import createError from '@fastify/error';

/** A fermenter whose outputs could not be switched off: the process must go, switching the others off first. */
export const OutputsUnsafeError = createError<'COBREW_ERR_OUTPUTS_UNSAFE', [string, string]>(
  'COBREW_ERR_OUTPUTS_UNSAFE',
  'The outputs of fermenter %s could not be switched off (%s); cobrew stops with every other output off, so that its service manager starts it again; check the board and its connection',
);
