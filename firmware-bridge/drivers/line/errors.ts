// Errors of the line-protocol driver; each names the port and what to do.
import createError from '@fastify/error';

export const BoardNoHelloError = createError<'COBREW_ERR_BOARD_NO_HELLO', [string, number, number]>(
  'COBREW_ERR_BOARD_NO_HELLO',
  'No HELLO from a cobrew board on %s at %s baud within %s ms. Check that this port is the board ' +
    '(`cobrew board list`), that it runs cobrew firmware (`cobrew board flash`), and that nothing else uses the port.',
);

export const BoardProtocolError = createError<'COBREW_ERR_BOARD_PROTOCOL', [string, number, number]>(
  'COBREW_ERR_BOARD_PROTOCOL',
  'The board on %s speaks cobrew line protocol %s, this cobrew speaks %s. ' +
    'Flash the firmware that comes with this cobrew (`cobrew board flash`), or update cobrew.',
);

export const BoardNoAnswerError = createError<'COBREW_ERR_BOARD_NO_ANSWER', [string, string, number]>(
  'COBREW_ERR_BOARD_NO_ANSWER',
  'The board on %s did not answer %s within %s ms. Check the cable and the board, then reconnect it.',
);

export const BoardLimitsRefusedError = createError<'COBREW_ERR_BOARD_LIMITS', [string, string, string]>(
  'COBREW_ERR_BOARD_LIMITS',
  'The board on %s refused the limits %s (%s): its firmware only lets cobrew tighten its own compiled limits. ' +
    'Set the board limits in the configuration at or below what the board reports in its HELLO.',
);

export const BoardGoneError = createError<'COBREW_ERR_BOARD_GONE', [string]>(
  'COBREW_ERR_BOARD_GONE',
  'The serial port %s closed while cobrew was identifying the board. Check the cable; cobrew tries again.',
);

export const DriverAlreadyOpenError = createError<'COBREW_ERR_DRIVER_ALREADY_OPEN', [string]>(
  'COBREW_ERR_DRIVER_ALREADY_OPEN',
  'The driver for %s is already open: one board, one driver. Close it before opening it again.',
);

export const ProbeRomError = createError<'COBREW_ERR_PROBE_ROM', [string, string]>(
  'COBREW_ERR_PROBE_ROM',
  'The %s probe address %s is not a OneWire ROM code (16 hex digits, family code first, CRC last). ' +
    'Copy it from the sensors the board lists (`cobrew board check`).',
);
