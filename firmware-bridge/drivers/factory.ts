// From a fermenter's `board:` in cobrew.yaml to the thing that drives it. A real board is only built once
// its set-up has passed the rating check against its profile: no driver exists for a board it would burn.

import type { Clock } from '../../common/clock.js';
import { assertRatings } from '../boards/rating.js';
import type { FermenterConfig, RealBoardConfig } from '../config-schema.js';
import { SimBoard } from '../sim/sim-board.js';
import type { Board, Probe } from '../types.js';
import { BrewPiDriver } from './brewpi/brewpi-driver.js';
import type { BoardDriver } from './driver.js';
import { FirmataDriver } from './firmata/firmata-driver.js';
import { LineDriver, type ProbeRoms } from './line/line-driver.js';
import type { SerialLink } from './serial/open.js';
import type { Timers } from './serial/timers.js';

export interface DriverContext {
  /** Clock of the simulated fermenter (the fleet's stepped simulation clock). */
  simClock: Clock;
  /** Clock real boards stamp their readings with. */
  clock: Clock;
  timers?: Timers;
  /** Opens a serial port; tests pass one that opens a SerialPortMock. */
  openPort?: (path: string, baudRate: number) => Promise<SerialLink>;
}

/** A simulated board (ready at once), or a driver the fleet must open. */
export type BuiltBoard = { kind: 'sim'; board: SimBoard } | { kind: 'driver'; board: BoardDriver };

export function isDriver(board: Board): board is BoardDriver {
  return typeof (board as Partial<BoardDriver>).open === 'function';
}

/** OneWire ROM codes of the enabled probes that name one (`sensors.<probe>.address`). */
export function probeRoms(config: FermenterConfig): ProbeRoms {
  const roms: ProbeRoms = {};
  for (const p of ['beer', 'chamber', 'ambient'] as const satisfies readonly Probe[]) {
    const s = config.sensors[p];
    if (s.enabled && s.address !== undefined) roms[p] = s.address;
  }
  return roms;
}

/** Throws COBREW_ERR_BOARD_RATING before building a real board whose set-up does not fit its profile. */
export function createBoard(config: FermenterConfig, ctx: DriverContext): BuiltBoard {
  const board = config.board;
  if (board.type === 'sim') return { kind: 'sim', board: new SimBoard(board, ctx.simClock) };
  assertRatings([config]);
  return { kind: 'driver', board: createDriver(board, probeRoms(config), ctx) };
}

/**
 * The driver of a real board, without the rating check: for `createBoard` once the check has passed, and for
 * `cobrew board check`, which identifies a board and pulses its outputs briefly, with or without a configuration.
 */
export function createDriver(
  board: RealBoardConfig,
  probes: ProbeRoms,
  ctx: Omit<DriverContext, 'simClock'>,
): BoardDriver {
  switch (board.type) {
    case 'cobrew':
      return new LineDriver({
        path: board.port,
        baudRate: board.baudRate,
        probes,
        clock: ctx.clock,
        ...(ctx.timers === undefined ? {} : { timers: ctx.timers }),
        ...(ctx.openPort === undefined ? {} : { openPort: ctx.openPort }),
      });
    case 'firmata':
      return new FirmataDriver({
        path: board.port,
        ...(board.baudRate === undefined ? {} : { baudRate: board.baudRate }),
        parasitePower: board.parasitePower,
        pins: board.pins,
        probes,
        profile: board.profile,
        clock: ctx.clock,
        ...(ctx.timers === undefined ? {} : { timers: ctx.timers }),
        ...(ctx.openPort === undefined ? {} : { openPort: ctx.openPort }),
      });
    case 'brewpi':
      return new BrewPiDriver({
        path: board.port,
        baudRate: board.baudRate,
        profile: board.profile,
        clock: ctx.clock,
        ...(ctx.timers === undefined ? {} : { timers: ctx.timers }),
        ...(ctx.openPort === undefined ? {} : { openPort: ctx.openPort }),
      });
  }
}
