// The Tilt decoder on advertisements recorded from real Tilts, as published with other projects' tests
// and comments, the TiltBridge JSON, and the mapping by colour with a calibration offset.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  decodeTiltAdvertisement,
  readingFromTiltBridge,
  TILT_COLOURS,
  TiltRouter,
} from '../../broker/tilt.js';
import { startTiltScanner } from '../../broker/tilt-scanner.js';

const hex = (s: string) => Buffer.from(s.replace(/[^0-9a-f]/gi, ''), 'hex');

/**
 * The manufacturer-specific data (AD type 0xFF) of an HCI LE Advertising Report event as a Linux
 * controller delivers it (04 3E len 02 n type addrType addr[6] dataLen data… rssi).
 */
function manufacturerData(event: Buffer): Buffer {
  const dataLen = event[13] as number;
  const ad = event.subarray(14, 14 + dataLen);
  for (let i = 0; i < ad.length; ) {
    const len = ad[i] as number;
    if (len === 0) break;
    if (ad[i + 1] === 0xff) return ad.subarray(i + 2, i + 1 + len);
    i += len + 1;
  }
  throw new Error('no manufacturer data');
}

describe('Tilt advertisements recorded from real Tilts', () => {
  it('decodes a red Tilt (HCI event from custom-components/ble_monitor tests): 68 °F, 1.016', () => {
    const event = hex('043E27020100005A099B16A3041B1AFF4C000215A495BB10C5B14B44B5121370F02D74DE004403F8C5C7');
    const r = decodeTiltAdvertisement(manufacturerData(event));
    expect(r).toMatchObject({ colour: 'red', gravity: 1.016, pro: false });
    expect(r?.temperatureC).toBeCloseTo(20, 9);
  });

  it('decodes a purple Tilt (HCI event from a tilt scanner test): 69 °F, 1.058', () => {
    const event = hex(
      '043e2a020103011e14fc977fdd1e0201041aff4c000215a495bb40c5b14b44b5121370f02d74de0045042206bc',
    );
    const r = decodeTiltAdvertisement(manufacturerData(event));
    expect(r).toMatchObject({ colour: 'purple', gravity: 1.058, pro: false });
    expect(r?.temperatureC).toBeCloseTo(20.556, 3);
  });

  it('decodes manufacturer data as TiltBridge logs it (purple, 80 °F, 1.241 out of the liquid)', () => {
    const r = decodeTiltAdvertisement(hex('4c000215a495bb40c5b14b44b5121370f02d74de005004d9c5'));
    expect(r).toMatchObject({ colour: 'purple', gravity: 1.241, pro: false });
    expect(r?.temperatureC).toBeCloseTo(26.667, 3);
  });

  it('knows every colour by its UUID, and reads a Tilt Pro at ten times the resolution', () => {
    // Built from the recorded red frame: only the UUID's fourth byte names the colour.
    for (const [i, colour] of TILT_COLOURS.entries()) {
      const code = ((i + 1) << 4).toString(16);
      const data = hex(`4c000215a495bb${code}c5b14b44b5121370f02d74de004403f8c5`);
      expect(decodeTiltAdvertisement(data)?.colour).toBe(colour);
    }
    // A Tilt Pro sends 68.5 °F as 685 and SG 1.0162 as 10162 (no recorded Pro frame was at hand: built).
    const pro = decodeTiltAdvertisement(hex('4c000215a495bb20c5b14b44b5121370f02d74de02ad27b2c5'));
    expect(pro).toMatchObject({ colour: 'green', gravity: 1.0162, pro: true });
    expect(pro?.temperatureC).toBeCloseTo(20.278, 3);
  });

  it('ignores other beacons and truncated frames', () => {
    expect(decodeTiltAdvertisement(hex('4c000215a495bb10c5b14b44b5121370f02d74de0044'))).toBeNull();
    expect(decodeTiltAdvertisement(hex('4c000215f7826da64fa24e988024bc5b71e0893e004403f8c5'))).toBeNull();
    expect(decodeTiltAdvertisement(hex('4c000215a495bb90c5b14b44b5121370f02d74de004403f8c5'))).toBeNull();
  });
});

describe('TiltBridge posts and the mapping by colour', () => {
  it("reads TiltBridge's JSON (numbers as text, °F or °C)", () => {
    const body = {
      color: 'Purple',
      temp: '68.0',
      tempUnit: 'F',
      gravity: '1.0460',
      gsheets_name: '',
      weeks_on_battery: 3,
      sends_battery: false,
      high_resolution: false,
      fwVersion: 1001,
      rssi: -75,
    };
    const r = readingFromTiltBridge(body);
    expect(r).toMatchObject({ colour: 'purple', gravity: 1.046, pro: false });
    expect(r.temperatureC).toBeCloseTo(20, 9);
    expect(() => readingFromTiltBridge({ ...body, gravity: 'n/a' })).toThrow(/gravity "n\/a", not a number/);
    expect(() => readingFromTiltBridge({ ...body, color: 'Brown' })).toThrow(/colour "Brown"/);
  });

  it('delivers a calibrated gravity to the fermenter of its colour, and refuses an unmapped colour', () => {
    const got: { gravity: number; at: number }[] = [];
    const ale = { id: 'ale', reportHydrometer: (r: { gravity: number; at: number }) => got.push(r) };
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const router = new TiltRouter(
      [{ colour: 'purple', fermenter: 'ale', gravityOffset: -0.002 }],
      [ale],
      log,
    );
    expect(
      router.deliver({ colour: 'purple', gravity: 1.046, temperatureC: 20, pro: false }, 5, 'http'),
    ).toEqual({
      fermenter: 'ale',
      gravity: 1.044,
    });
    expect(got).toEqual([{ gravity: 1.044, at: 5 }]);
    expect(() =>
      router.deliver({ colour: 'red', gravity: 1.05, temperatureC: 20, pro: false }, 6, 'http'),
    ).toThrow(/The red Tilt is not mapped/);
    expect(() =>
      router.deliver({ colour: 'purple', gravity: 1.241, temperatureC: 20, pro: false }, 6, 'http'),
    ).toThrow(/gravity 1.2390, outside 0.98…1.2/);
  });
});

describe('Bluetooth scanning', () => {
  it('delivers Tilts heard once the adapter powers on, one reading per colour per 15 s', async () => {
    const events = new EventEmitter();
    let scanning: unknown[] | undefined;
    const scanner = Object.assign(events, {
      state: 'poweredOff',
      startScanningAsync: async (...args: unknown[]) => {
        scanning = args;
      },
      stopScanningAsync: async () => {
        scanning = undefined;
      },
    });
    const got: { gravity: number; at: number }[] = [];
    const ale = { id: 'ale', reportHydrometer: (r: { gravity: number; at: number }) => got.push(r) };
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const router = new TiltRouter([{ colour: 'red', fermenter: 'ale', gravityOffset: 0 }], [ale], log);
    let now = 1000;
    const scan = await startTiltScanner({ router, now: () => now, log, scanner });
    expect(scanning).toBeUndefined();
    events.emit('stateChange', 'poweredOn');
    await new Promise((r) => setImmediate(r));
    expect(scanning).toEqual([[], true]);
    // The recorded red frame, three times within 15 s, then once more after.
    const red = {
      advertisement: { manufacturerData: hex('4c000215a495bb10c5b14b44b5121370f02d74de004403f8c5') },
    };
    events.emit('discover', red);
    now += 5000;
    events.emit('discover', red);
    events.emit('discover', { advertisement: {} });
    now += 10_000;
    events.emit('discover', red);
    expect(got).toEqual([
      { gravity: 1.016, at: 1000 },
      { gravity: 1.016, at: 16_000 },
    ]);
    await scan.stop();
    expect(scanning).toBeUndefined();
  });
});
