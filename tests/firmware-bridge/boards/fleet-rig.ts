// A fleet with one fermenter on an emulated reference board (line protocol over SerialPortMock) and one
// simulated fermenter, all on one ManualClock driven by ManualTimers.

import { ManualClock } from '../../../common/clock.js';
import type { BoardLogEntry } from '../../../firmware-bridge/boards/session.js';
import type { FermenterConfig } from '../../../firmware-bridge/config-schema.js';
import { ManualTimers } from '../../../firmware-bridge/drivers/serial/timers.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { createFleet, type Fleet } from '../../../firmware-bridge/fleet.js';
import type { FermenterState, Incident } from '../../../firmware-bridge/types.js';
import { BoardEmulator, type EmulatorOptions } from '../drivers/line/board-emulator.js';
import { realFermenter } from './helpers.js';

let n = 0;

export interface FleetRig {
  clock: ManualClock;
  timers: ManualTimers;
  board: BoardEmulator;
  fleet: Fleet;
  path: string;
  states: Map<string, FermenterState[]>;
  incidents: Incident[];
  log: BoardLogEntry[];
  /** Lets `ms` of clock time pass, pumps, board and driver included. */
  run(ms: number): Promise<void>;
  /** Settles a promise while the clock runs. */
  during<T>(p: Promise<T>, maxMs?: number): Promise<T>;
}

export function fleetRig(
  opts: {
    board?: Partial<EmulatorOptions>;
    real?: FermenterConfig;
    plugged?: boolean;
    onBoardLog?: (e: BoardLogEntry) => void;
  } = {},
): FleetRig {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const path = `/dev/ttyFLEET${process.pid}-${n++}`;
  const board = new BoardEmulator({ path, timers, ...opts.board });
  if (opts.plugged === false) board.unplug();
  const real = opts.real ?? realFermenter({ port: path }, { heat: { loadW: 200 } });
  const sim = checkFermenterConfig({ id: 'sim', name: 'Sim', board: { type: 'sim' } });
  const log: BoardLogEntry[] = [];
  const fleet = createFleet({
    fermenters: [{ ...real, board: { ...real.board, port: path } } as FermenterConfig, sim],
    clock,
    timers,
    openPort: board.openPort,
    openRetryMs: 5000,
    onBoardLog: (e) => {
      log.push(e);
      opts.onBoardLog?.(e);
    },
  });
  const states = new Map<string, FermenterState[]>();
  const incidents: Incident[] = [];
  for (const f of fleet.fermenters) {
    states.set(f.id, []);
    f.on('state', (s) => states.get(f.id)?.push(s));
    f.on('incident', (i) => incidents.push(i));
  }
  const during = async <T>(p: Promise<T>, maxMs = 20_000): Promise<T> => {
    let done: { ok: boolean; v: unknown } | null = null;
    p.then(
      (v) => {
        done = { ok: true, v };
      },
      (v: unknown) => {
        done = { ok: false, v };
      },
    );
    for (let t = 0; t <= maxMs && done === null; t += 100) await timers.advance(100);
    const d = done as { ok: boolean; v: unknown } | null;
    if (d === null) throw new Error(`still pending after ${maxMs} ms of clock time`);
    if (!d.ok) throw d.v;
    return d.v as T;
  };
  return {
    clock,
    timers,
    board,
    fleet,
    path,
    states,
    incidents,
    log,
    run: (ms) => timers.advance(ms),
    during,
  };
}
