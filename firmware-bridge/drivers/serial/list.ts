// The serial ports this machine has, as `cobrew board list` shows them.
import { SerialPort } from 'serialport';
import { SerialListError, UdevMissingError } from './errors.js';

type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

export interface SerialPortEntry {
  path: string;
  manufacturer: string | null;
  vendorId: string | null;
  productId: string | null;
  serialNumber: string | null;
}

/** serialport's Linux listing runs `udevadm info -e`; without udev that spawn fails with ENOENT. */
function isMissingUdevadm(err: unknown): boolean {
  const e = err as { code?: unknown; path?: unknown; syscall?: unknown };
  return e?.code === 'ENOENT' && (e.path === 'udevadm' || String(e.syscall).includes('udevadm'));
}

/** Lists serial ports, sorted by path; `list` is serialport's (a binding's, in tests). */
export async function listSerialPorts(
  list: () => Promise<PortInfo[]> = () => SerialPort.list(),
): Promise<SerialPortEntry[]> {
  let ports: PortInfo[];
  try {
    ports = await list();
  } catch (err) {
    if (isMissingUdevadm(err)) throw new UdevMissingError();
    throw new SerialListError((err as Error).message);
  }
  return ports
    .map((p) => ({
      path: p.path,
      manufacturer: p.manufacturer ?? null,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
      serialNumber: p.serialNumber ?? null,
    }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
