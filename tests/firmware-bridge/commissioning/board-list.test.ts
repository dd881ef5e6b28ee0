import { SerialPortMock } from 'serialport';
import { describe, expect, it } from 'vitest';
import { formatPortTable } from '../../../firmware-bridge/commissioning/board-list.js';
import { listSerialPorts } from '../../../firmware-bridge/drivers/serial/list.js';
import { cleanEnv, runCobrew } from '../../app/cli-helpers.js';

describe('listing serial ports', () => {
  it('gives path, manufacturer, USB ids and serial number, sorted by path', async () => {
    SerialPortMock.binding.createPort('/dev/ttyUSB-list-b', {
      manufacturer: 'FTDI',
      vendorId: '0403',
      productId: '6001',
    });
    SerialPortMock.binding.createPort('/dev/ttyACM-list-a', {
      manufacturer: 'Arduino (www.arduino.cc)',
      vendorId: '2341',
      productId: '0043',
    });
    const ports = (await listSerialPorts(() => SerialPortMock.list())).filter((p) =>
      p.path.includes('-list-'),
    );
    expect(ports).toEqual([
      {
        path: '/dev/ttyACM-list-a',
        manufacturer: 'Arduino (www.arduino.cc)',
        vendorId: '2341',
        productId: '0043',
        serialNumber: expect.any(String),
      },
      {
        path: '/dev/ttyUSB-list-b',
        manufacturer: 'FTDI',
        vendorId: '0403',
        productId: '6001',
        serialNumber: expect.any(String),
      },
    ]);
    const table = formatPortTable(ports).split('\n');
    expect(table[0]).toMatch(/^PATH +MANUFACTURER +VID:PID +SERIAL$/);
    expect(table[1]).toMatch(/^\/dev\/ttyACM-list-a +Arduino \(www\.arduino\.cc\) +2341:0043 +\d+$/);
    expect(formatPortTable([])).toContain('No serial ports found');
  });

  it('says to install udev when udevadm is missing, and names other failures', async () => {
    const enoent = Object.assign(new Error('spawn udevadm ENOENT'), {
      code: 'ENOENT',
      path: 'udevadm',
      syscall: 'spawn udevadm',
    });
    await expect(listSerialPorts(() => Promise.reject(enoent))).rejects.toMatchObject({
      code: 'COBREW_ERR_UDEV_MISSING',
      message: expect.stringContaining('apt-get install udev'),
    });
    await expect(
      listSerialPorts(() => Promise.reject(new Error('udevadm exited with 1'))),
    ).rejects.toMatchObject({
      code: 'COBREW_ERR_SERIAL_LIST',
      message: expect.stringContaining('udevadm exited with 1'),
    });
  });

  it('cobrew board list runs, and without udevadm on the PATH says what to install', async () => {
    const ok = await runCobrew(['board', 'list', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(ok.stdout))).toBe(true);

    const noUdev = await runCobrew(['board', 'list'], cleanEnv({ PATH: '/nonexistent' }));
    expect(noUdev.code).toBe(1);
    expect(noUdev.stderr).toContain('COBREW_ERR_UDEV_MISSING');
    expect(noUdev.stderr).toContain('apt-get install udev');
  });
});
