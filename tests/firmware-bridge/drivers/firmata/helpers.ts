// A Firmata driver wired to a responder on a SerialPortMock, both on one ManualClock.
import { ManualClock } from '../../../../common/clock.js';
import type { DriverEvent } from '../../../../firmware-bridge/drivers/driver.js';
import {
  type FirmataBoardEvent,
  FirmataDriver,
  type FirmataDriverOptions,
} from '../../../../firmware-bridge/drivers/firmata/firmata-driver.js';
import { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';
import { FirmataResponder, type ResponderOptions, ROMS } from './firmata-responder.js';

let n = 0;

/** A unique mock port path per rig, so tests never share a port. */
export function mockPath(prefix: string): string {
  return `/dev/tty${prefix}${process.pid}-${n++}`;
}

/** Awaits `p` while the clock runs (handshakes and answers need timers to fire). */
export async function whileRunning<T>(timers: ManualTimers, p: Promise<T>, stepMs = 100, maxMs = 30_000) {
  let result: { ok: true; value: T } | { ok: false; err: unknown } | null = null;
  p.then(
    (value) => {
      result = { ok: true, value };
    },
    (err: unknown) => {
      result = { ok: false, err };
    },
  );
  for (let t = 0; t <= maxMs && result === null; t += stepMs) await timers.advance(stepMs);
  const done = result as { ok: true; value: T } | { ok: false; err: unknown } | null;
  if (done === null) throw new Error(`still pending after ${maxMs} ms of clock time`);
  if (!done.ok) throw done.err;
  return done.value;
}

export interface FirmataRig {
  clock: ManualClock;
  timers: ManualTimers;
  board: FirmataResponder;
  driver: FirmataDriver;
  events: Array<DriverEvent | FirmataBoardEvent>;
}

export function firmataRig(
  board: Partial<Omit<ResponderOptions, 'path' | 'timers'>> = {},
  driver: Partial<Omit<FirmataDriverOptions, 'clock' | 'timers' | 'openPort' | 'path'>> = {},
): FirmataRig {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const path = mockPath('FIRMATA');
  const responder = new FirmataResponder({ path, timers, ...board });
  const d = new FirmataDriver({
    path,
    clock,
    timers,
    openPort: responder.openPort,
    pins: { heat: 7, cool: 8, oneWire: 2 },
    probes: { beer: ROMS.beer, chamber: ROMS.chamber, ambient: ROMS.ambient },
    profile: 'uno-firmata',
    ...driver,
  });
  const events: FirmataRig['events'] = [];
  d.onEvent((e) => events.push(e));
  d.onBoardEvent((e) => events.push(e));
  return { clock, timers, board: responder, driver: d, events };
}
