// Runs cobrew's controller on the full control path (SimBoard → guard → controller → guard) on a
// ManualClock, one tick per second, and keeps what the tests judge: requests, applied outputs, truth.
import { ManualClock } from '../../firmware-bridge/clock.js';
import type { ControlConfig, SimBoardConfig } from '../../firmware-bridge/config-schema.js';
import { CascadeController, type CascadeTuning } from '../../firmware-bridge/control/cascade.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../firmware-bridge/sim/sim-board.js';
import type { Outputs } from '../../firmware-bridge/types.js';

export const H = 3600;

export interface Sample {
  tS: number;
  beerC: number;
  chamberC: number;
  beerTargetC: number | null;
  chamberTargetC: number | null;
  requested: Outputs;
  applied: Outputs;
}

export interface RigOptions {
  board?: Partial<SimBoardConfig>;
  control: Partial<ControlConfig>;
  roomC?: number;
  hours: number;
  tuning?: Partial<CascadeTuning>;
}

export function runRig(o: RigOptions): { samples: Sample[]; incidents: string[] } {
  const clock = new ManualClock();
  const start = clock.now();
  const config = checkFermenterConfig({
    id: 'rig',
    name: 'rig',
    board: { type: 'sim', ...o.board },
    control: o.control,
  });
  const room = o.roomC ?? 20;
  const board = new SimBoard(config.board, clock, { ambient: () => room });
  let requested: Outputs = { heat: false, cool: false };
  const fermenter = new Fermenter(config, board, clock, {
    controller: (limits) => {
      const inner = new CascadeController(limits, {
        chamberMinC: config.control.chamberMinC,
        chamberMaxC: config.control.chamberMaxC,
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
      beerTargetC: state.beerSetpointC,
      chamberTargetC: state.chamberSetpointC,
      requested,
      applied: state.outputs,
    });
  }
  return { samples, incidents };
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}
