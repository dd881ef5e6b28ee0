// Runs cobrew's controller on the full control path (SimBoard → guard → controller → guard) on a
// ManualClock, one tick per second, and keeps what the tests judge: requests, applied outputs, truth.
import { ManualClock } from '../../../common/clock.js';
import type {
  ControlConfig,
  FermenterConfig,
  SimBoardConfig,
} from '../../../firmware-bridge/config-schema.js';
import { CascadeController, type CascadeOptions } from '../../../firmware-bridge/control/cascade.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../../firmware-bridge/sim/sim-board.js';
import type { Outputs } from '../../../firmware-bridge/types.js';

export const H = 3600;

export interface Sample {
  tS: number;
  beerC: number;
  chamberC: number;
  beerTargetC: number | null;
  chamberTargetC: number | null;
  roomC: number;
  requested: Outputs;
  applied: Outputs;
  state: string;
}

export interface RigOptions {
  board?: Partial<SimBoardConfig>;
  control: Partial<ControlConfig>;
  outputs?: { heat?: { enabled: boolean }; cool?: { enabled: boolean } };
  /** Room temperature, constant or as a function of seconds since the start; 20 °C when absent. */
  roomC?: number | ((tS: number) => number);
  hours: number;
  /** Tuning and options for cobrew's controller; the heater mount comes from the board unless given. */
  tuning?: CascadeOptions;
}

export function runRig(o: RigOptions): { samples: Sample[]; incidents: string[]; config: FermenterConfig } {
  const clock = new ManualClock();
  const start = clock.now();
  const config = checkFermenterConfig({
    id: 'rig',
    name: 'rig',
    board: { type: 'sim', ...o.board },
    outputs: o.outputs,
    control: o.control,
  });
  const roomC = o.roomC ?? 20;
  const room = typeof roomC === 'number' ? () => roomC : (t: number) => roomC((t - start) / 1000);
  const board = new SimBoard(config.board, clock, { ambient: room });
  let requested: Outputs = { heat: false, cool: false };
  const fermenter = new Fermenter(config, board, clock, {
    controller: (limits) => {
      const inner = new CascadeController(limits, {
        chamberMinC: config.control.chamberMinC,
        chamberMaxC: config.control.chamberMaxC,
        heaterMount: config.board.heaterMount,
        ...o.tuning,
      });
      return {
        name: inner.name,
        step(input) {
          const out = inner.step(input);
          requested = out.request;
          return out;
        },
      };
    },
  });
  const incidents: string[] = [];
  fermenter.on('incident', (i) => incidents.push(i.code));
  const samples: Sample[] = [];
  for (let s = 1; s <= o.hours * H; s++) {
    clock.advance(1000);
    const state = fermenter.tick();
    const truth = board.truth();
    samples.push({
      tS: (clock.now() - start) / 1000,
      beerC: truth.beerC,
      chamberC: truth.chamberC,
      roomC: room(clock.now()),
      beerTargetC: state.beerSetpointC,
      chamberTargetC: state.chamberSetpointC,
      requested,
      applied: state.outputs,
      state: state.controllerState,
    });
  }
  return { samples, incidents, config };
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

/** RMS beer error from the first time the beer comes within 0.5 °C of each new target, as the benchmark's. */
export function settledRms(samples: Sample[]): number {
  let n = 0;
  let sumSq = 0;
  let target = Number.NaN;
  let settled = true;
  for (const s of samples) {
    if (s.beerTargetC === null) continue;
    if (s.beerTargetC !== target) {
      if (!Number.isNaN(target) && Math.abs(s.beerTargetC - target) > 0.5) settled = false;
      target = s.beerTargetC;
    }
    const err = s.beerC - target;
    if (!settled && Math.abs(err) <= 0.5) settled = true;
    if (settled) {
      n++;
      sumSq += err * err;
    }
  }
  return Math.sqrt(sumSq / Math.max(1, n));
}

/** How many times the compressor started after the heater had been the last output to run. */
export function heatToCoolSwitches(samples: Sample[]): number {
  let last: 'heat' | 'cool' | null = null;
  let switches = 0;
  let prev: Outputs = { heat: false, cool: false };
  for (const s of samples) {
    if (s.applied.heat && !prev.heat) last = 'heat';
    if (s.applied.cool && !prev.cool) {
      if (last === 'heat') switches++;
      last = 'cool';
    }
    prev = s.applied;
  }
  return switches;
}
