// Typed errors of hardware in the commons (board profiles, reference-board documents).
import createError from '@fastify/error';

export const HardwareNotFoundError = createError<'COBREW_ERR_HARDWARE_NOT_FOUND', 404, [string]>(
  'COBREW_ERR_HARDWARE_NOT_FOUND',
  'Hardware contribution or version %s does not exist here. GET /api/hardware lists them with their versions.',
  404,
);

export const HardwareDocumentError = createError<'COBREW_ERR_HARDWARE_DOCUMENT', 400, [string, string]>(
  'COBREW_ERR_HARDWARE_DOCUMENT',
  'The %s document cannot be stored: %s',
  400,
);

export const HardwareLicenceError = createError<'COBREW_ERR_HARDWARE_LICENCE', 400, [string, string, string]>(
  'COBREW_ERR_HARDWARE_LICENCE',
  'Hardware cannot be licensed %s%s. Choose one of: %s.',
  400,
);
