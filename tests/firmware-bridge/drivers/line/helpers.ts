// A driver wired to an emulated board on a SerialPortMock, both on one ManualClock.
import { ManualClock } from '../../../../common/clock.js';
import type { DriverEvent } from '../../../../firmware-bridge/drivers/driver.js';
import {
  type LineBoardEvent,
  LineDriver,
  type LineDriverOptions,
} from '../../../../firmware-bridge/drivers/line/line-driver.js';
import { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';
import type { Outputs } from '../../../../firmware-bridge/types.js';
import { BoardEmulator, type EmulatorOptions, ROMS } from './board-emulator.js';

let n = 0;

export interface Rig {
  clock: ManualClock;
  timers: ManualTimers;
  board: BoardEmulator;
  driver: LineDriver;
  events: Array<DriverEvent | LineBoardEvent>;
  /** Host frames of a type the board received, e.g. 'OUT'. */
  sent(type: string): string[][];
}

export function rig(
  board: Partial<EmulatorOptions> = {},
  driver: Partial<Omit<LineDriverOptions, 'clock' | 'timers' | 'openPort' | 'path'>> = {},
): Rig {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const path = `/dev/ttyLINE${process.pid}-${n++}`;
  const emulator = new BoardEmulator({ path, timers, ...board });
  const d = new LineDriver({
    path,
    clock,
    timers,
    openPort: emulator.openPort,
    probes: { beer: ROMS.beer, chamber: ROMS.chamber, ambient: ROMS.ambient },
    ...driver,
  });
  const events: Rig['events'] = [];
  d.onEvent((e) => events.push(e));
  d.onBoardEvent((e) => events.push(e));
  const sent = (type: string) => emulator.received.filter((f) => f.type === type).map((f) => f.fields);
  return { clock, timers, board: emulator, driver: d, events, sent };
}

/** Opens the driver while the clock runs (HELLO retries and answers need timers to fire). */
export async function openWhileRunning<T>(
  r: Rig,
  open: Promise<T>,
  stepMs = 100,
  maxMs = 20_000,
): Promise<T> {
  let result: { ok: true; value: T } | { ok: false; err: unknown } | null = null;
  open.then(
    (value) => {
      result = { ok: true, value };
    },
    (err: unknown) => {
      result = { ok: false, err };
    },
  );
  for (let t = 0; t <= maxMs && result === null; t += stepMs) await r.timers.advance(stepMs);
  const done = result as { ok: true; value: T } | { ok: false; err: unknown } | null;
  if (done === null) throw new Error(`still pending after ${maxMs} ms of clock time`);
  if (!done.ok) throw done.err;
  return done.value;
}

/** Lets `ms` pass while a guard ticking every second writes `outputs` (heartbeats need a live guard). */
export async function guardWrites(r: Rig, outputs: Outputs, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 1000) {
    r.driver.outputs.write(outputs);
    await r.timers.advance(Math.min(1000, ms - t));
  }
}
