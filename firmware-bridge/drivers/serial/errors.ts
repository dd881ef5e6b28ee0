// Errors of the serial layer shared by every serial board driver; each says what to do about it.
import createError from '@fastify/error';

export const SerialOpenError = createError<'COBREW_ERR_SERIAL_OPEN', [string, number, string]>(
  'COBREW_ERR_SERIAL_OPEN',
  'Cannot open serial port %s at %s baud: %s. Check the path (`cobrew board list` shows the ports), ' +
    'that no other program holds the port, and that this user may use it (on Debian: the dialout group).',
);

export const UdevMissingError = createError<'COBREW_ERR_UDEV_MISSING', []>(
  'COBREW_ERR_UDEV_MISSING',
  'Listing serial ports needs udev, and its udevadm command was not found. ' +
    'Install it (on Debian: sudo apt-get install udev) and try again.',
);

export const SerialListError = createError<'COBREW_ERR_SERIAL_LIST', [string]>(
  'COBREW_ERR_SERIAL_LIST',
  'Could not list serial ports: %s. Check that udev runs (udevadm info -e) and try again.',
);
