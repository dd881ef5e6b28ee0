// Opening a serial port with serialport 13, errors turned into COBREW_ERR_SERIAL_OPEN.
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { SerialOpenError } from './errors.js';

/** What a driver needs of a serialport 13 stream (SerialPort, or SerialPortMock in tests). */
export type SerialLink = Duplex & {
  readonly path: string;
  readonly isOpen: boolean;
  open(callback?: (err: Error | null) => void): void;
  close(callback?: (err?: Error | null) => void): void;
};

/** Opens the given port object; the returned link is open, or the promise rejects with COBREW_ERR_SERIAL_OPEN. */
export function openLink<L extends SerialLink>(link: L, baudRate: number): Promise<L> {
  return new Promise((resolve, reject) => {
    link.open((err) => {
      if (err) reject(new SerialOpenError(link.path, baudRate, err.message));
      else resolve(link);
    });
  });
}

/** Opens a real serial port, 8N1, no flow control. */
export function openSerialPort(path: string, baudRate: number): Promise<SerialLink> {
  return openLink(new SerialPort({ path, baudRate, autoOpen: false }), baudRate);
}

/** Closes a link if it is still open; never rejects (the port may already be gone). */
export function closeLink(link: SerialLink): Promise<void> {
  return new Promise((resolve) => {
    if (!link.isOpen) resolve();
    else link.close(() => resolve());
  });
}
