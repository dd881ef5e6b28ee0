// A BrewPi driver wired to the emulator on a SerialPortMock, both on one ManualClock.
import { ManualClock } from '../../../../common/clock.js';
import {
  type BrewPiBoardEvent,
  BrewPiDriver,
  type BrewPiDriverOptions,
} from '../../../../firmware-bridge/drivers/brewpi/brewpi-driver.js';
import type { DriverEvent } from '../../../../firmware-bridge/drivers/driver.js';
import { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';
import { mockPath } from '../firmata/helpers.js';
import { BrewPiEmulator, type BrewPiEmulatorOptions } from './emulator.js';

export interface BrewPiRig {
  clock: ManualClock;
  timers: ManualTimers;
  board: BrewPiEmulator;
  driver: BrewPiDriver;
  events: Array<DriverEvent | BrewPiBoardEvent>;
  /** Board events of one type. */
  told<T extends BrewPiBoardEvent['type']>(type: T): Array<Extract<BrewPiBoardEvent, { type: T }>>;
}

export function brewPiRig(
  board: Partial<Omit<BrewPiEmulatorOptions, 'path' | 'timers'>> = {},
  driver: Partial<Omit<BrewPiDriverOptions, 'clock' | 'timers' | 'openPort' | 'path'>> = {},
): BrewPiRig {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const path = mockPath('BREWPI');
  const emulator = new BrewPiEmulator({ path, timers, ...board });
  const d = new BrewPiDriver({ path, clock, timers, openPort: emulator.openPort, ...driver });
  const events: BrewPiRig['events'] = [];
  d.onEvent((e) => events.push(e));
  d.onBoardEvent((e) => events.push(e));
  const told = <T extends BrewPiBoardEvent['type']>(type: T) =>
    events.filter((e): e is Extract<BrewPiBoardEvent, { type: T }> => e.type === type);
  return { clock, timers, board: emulator, driver: d, events, told };
}
