// The driver's logic against mock-firmata: its OneWire calls are stubbed to answer as DS18B20s would, so
// the call sequence (search, select + convert, wait, select + read scratchpad) is checked call by call.
import mockFirmata from 'mock-firmata';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../../common/clock.js';
import { FirmataDriver } from '../../../../firmware-bridge/drivers/firmata/firmata-driver.js';
import { openLink } from '../../../../firmware-bridge/drivers/serial/open.js';
import { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';
import { ROMS, scratchpad } from './firmata-responder.js';
import { mockPath, whileRunning } from './helpers.js';

const bytes = (rom: string) =>
  Array.from({ length: 8 }, (_, i) => Number.parseInt(rom.slice(2 * i, 2 * i + 2), 16));
const hex = (b: readonly number[]) => b.map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join('');

/** An Uno whose pins 2–19 are digital outputs with OneWire, as ConfigurableFirmata reports them. */
const pins = () =>
  Array.from({ length: 20 }, (_, i) => ({
    supportedModes: i < 2 ? [] : [0, 1, 7],
    mode: 0,
    value: 0,
    report: 1,
    analogChannel: 127,
  }));

interface Setup {
  /** Devices the bus search finds (byte arrays). */
  devices?: number[][];
  /** ROM → °C answered to a scratchpad read; absent ROMs do not answer at all. */
  temps?: Record<string, number>;
}

const drivers: Array<{ timers: ManualTimers; driver: FirmataDriver }> = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await whileRunning(d.timers, d.driver.close());
});

function setup(s: Setup = {}) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const path = mockPath('MOCKFIRMATA');
  SerialPortMock.binding.createPort(path);
  const temps = s.temps ?? { [ROMS.beer]: 20.125, [ROMS.chamber]: 16.5 };
  const board = new mockFirmata.Firmata({
    pins: pins(),
    firmware: { name: 'ConfigurableFirmata.ino', version: { major: 2, minor: 10 } },
  });
  const calls: string[] = [];
  vi.spyOn(board, 'sendOneWireConfig').mockImplementation((pin, power) => {
    calls.push(`config ${pin} ${power}`);
  });
  vi.spyOn(board, 'sendOneWireSearch').mockImplementation((pin, cb) => {
    calls.push(`search ${pin}`);
    queueMicrotask(() => cb(null, s.devices ?? [bytes(ROMS.beer), bytes(ROMS.chamber)]));
  });
  vi.spyOn(board, 'sendOneWireReset').mockImplementation((pin) => {
    calls.push(`reset ${pin}`);
  });
  vi.spyOn(board, 'sendOneWireWrite').mockImplementation((pin, device, data) => {
    calls.push(`write ${pin} ${hex(device)} ${Number(data).toString(16)} @${clock.now()}`);
  });
  vi.spyOn(board, 'sendOneWireWriteAndRead').mockImplementation((pin, device, data, n, cb) => {
    calls.push(`read ${pin} ${hex(device)} ${Number(data).toString(16)} ${n} @${clock.now()}`);
    const c = temps[hex(device)];
    if (c !== undefined) queueMicrotask(() => cb(null, scratchpad(c)));
  });
  const writes: Array<[number, number]> = [];
  vi.spyOn(board, 'digitalWrite').mockImplementation((pin, value) => {
    writes.push([pin, value]);
  });
  const modes: Array<[number, number]> = [];
  vi.spyOn(board, 'pinMode').mockImplementation((pin, mode) => {
    modes.push([pin, mode]);
  });
  const driver = new FirmataDriver({
    path,
    clock,
    timers,
    openPort: (p, baud) => openLink(new SerialPortMock({ path: p, baudRate: baud, autoOpen: false }), baud),
    createIo: () => {
      queueMicrotask(() => board.emit('ready'));
      return board;
    },
    pins: { heat: 5, cool: 6, oneWire: 4 },
    probes: { beer: ROMS.beer, chamber: ROMS.chamber },
    profile: 'custom',
  });
  drivers.push({ timers, driver });
  return { clock, timers, board, driver, calls, writes, modes };
}

describe('Firmata driver on mock-firmata', () => {
  it('identifies from the board’s firmware and searches the bus once', async () => {
    const t = setup();
    const identity = await whileRunning(t.timers, t.driver.open());
    expect(identity).toEqual({
      firmware: 'ConfigurableFirmata',
      version: '2.10',
      profile: 'custom',
      sensors: [ROMS.beer, ROMS.chamber],
    });
    expect(t.calls.slice(0, 2)).toEqual(['config 4 false', 'search 4']);
    expect(t.modes).toEqual([
      [5, 1],
      [6, 1],
    ]);
  });

  it('converts on every probe, waits the conversion time once, then reads each 9-byte scratchpad', async () => {
    const t = setup();
    await whileRunning(t.timers, t.driver.open());
    await t.timers.advance(3000);
    // One whole sample, from the reset before its first conversion.
    const start = t.calls.findIndex((c) => c.startsWith('write')) - 1;
    const t0 = Number(t.calls[start + 1]?.split('@')[1]);
    const at = (ms: number) => `@${t0 + ms}`;
    expect(t.calls.slice(start, start + 8)).toEqual([
      'reset 4',
      `write 4 ${ROMS.beer} 44 ${at(0)}`,
      'reset 4',
      `write 4 ${ROMS.chamber} 44 ${at(0)}`,
      'reset 4',
      `read 4 ${ROMS.beer} be 9 ${at(800)}`,
      'reset 4',
      `read 4 ${ROMS.chamber} be 9 ${at(800)}`,
    ]);
    // The next sample starts a sample period after this one started.
    expect(t.calls[start + 9]).toBe(`write 4 ${ROMS.beer} 44 ${at(1000)}`);
    expect(t.driver.read()).toMatchObject({
      beer: { value: 20.125 },
      chamber: { value: 16.5 },
      ambient: null,
    });
  });

  it('skips devices that are not DS18B20s or whose ROM fails its CRC', async () => {
    const bad = bytes(ROMS.chamber);
    bad[3] = (bad[3] as number) ^ 1;
    const ds18s20 = [0x10, 0x4a, 0x1b, 0x2c, 0x3d, 0x04, 0x00, 0x00];
    const t = setup({ devices: [ds18s20, bad, bytes(ROMS.beer)] });
    const identity = await whileRunning(t.timers, t.driver.open());
    expect(identity.sensors).toEqual([ROMS.beer]);
  });

  it('keeps a probe’s last sample when its read goes unanswered, so it ages into the guard’s stale check', async () => {
    const temps: Record<string, number> = { [ROMS.beer]: 20.125, [ROMS.chamber]: 16.5 };
    const t = setup({ temps });
    await whileRunning(t.timers, t.driver.open());
    await t.timers.advance(1000);
    const first = t.driver.read().chamber;
    delete temps[ROMS.chamber];
    await t.timers.advance(5000);
    expect(t.driver.read().chamber).toEqual(first);
    expect(t.driver.read().beer?.at).toBeGreaterThan(first?.at ?? 0);
    expect(t.driver.stats.missingAnswers).toBeGreaterThan(0);
  });

  it('switches an output off before it switches the other on', async () => {
    const t = setup();
    await whileRunning(t.timers, t.driver.open());
    t.driver.outputs.write({ heat: true, cool: false });
    t.writes.length = 0;
    t.driver.outputs.write({ heat: false, cool: true });
    expect(t.writes).toEqual([
      [5, 0],
      [6, 1],
    ]);
    // Unchanged outputs are not written again on every tick.
    t.driver.outputs.write({ heat: false, cool: true });
    expect(t.writes).toHaveLength(2);
  });

  it('refuses one pin used twice when it is built', () => {
    expect(
      () =>
        new FirmataDriver({
          path: '/dev/null',
          clock: new ManualClock(),
          pins: { heat: 7, cool: 7 },
          probes: {},
          profile: 'custom',
        }),
    ).toThrow(expect.objectContaining({ code: 'COBREW_ERR_FIRMATA_SAME_PIN' }));
  });
});
