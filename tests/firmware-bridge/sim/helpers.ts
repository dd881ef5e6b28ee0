// Shared set-up for the simulator tests: a board on a ManualClock with schema defaults filled in.
import { ManualClock } from '../../../common/clock.js';
import { schemaChecker } from '../../../common/schema-check.js';
import { type SimBoardConfig, SimBoardSchema } from '../../../firmware-bridge/config-schema.js';
import { SimBoard, type SimBoardOptions } from '../../../firmware-bridge/sim/sim-board.js';

export const S = 1000;
export const MIN = 60 * S;
export const H = 60 * MIN;
export const DAY = 24 * H;

/** Where every test clock starts: ManualClock's default, 2026-01-01 00:00 UTC. */
export const START = new ManualClock().now();

const checkSimBoard = schemaChecker(SimBoardSchema, 'Simulated board');

/** Pitching far in the future keeps fermentation heat out of purely thermal tests. */
export const NO_YEAST = { fermentationDelayH: -1e6 } as const;

export function simConfig(over: Partial<SimBoardConfig> = {}): SimBoardConfig {
  return checkSimBoard({ type: 'sim', ...over });
}

export function setup(over: Partial<SimBoardConfig> = {}, options: SimBoardOptions = {}) {
  const clock = new ManualClock(START);
  const board = new SimBoard(simConfig(over), clock, options);
  return { clock, board, t0: clock.now() };
}

/** A quiet room at a fixed temperature. */
export const room = (c: number): SimBoardOptions => ({ ambient: () => c });

/** Run the clock in `stepMs` steps, calling `each` after every step; returns the number of steps. */
export function run(clock: ManualClock, ms: number, stepMs: number, each: () => void = () => {}): number {
  const n = Math.round(ms / stepMs);
  for (let i = 0; i < n; i++) {
    clock.advance(stepMs);
    each();
  }
  return n;
}

/** Whether a reading is a whole number of DS18B20 12-bit steps. */
export const onGrid = (c: number) => Number.isInteger(c * 16);
