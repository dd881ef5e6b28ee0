// The robustness sweep: one short profile on every fermenter of SWEEP, cobrew and BrewPi-style with the
// same settings everywhere, each figure as a ratio to BrewPi-style on the same fermenter (arrival: to the
// flat-out limit), and the worst of each over the sweep.
import type { SweepFermenter } from './fermenters.js';
import { arrivalRatio, idealHoldLimits, type JumpLimits, jumpLimitS } from './limit.js';
import { againstBrewPi, type ControllerFigures } from './metrics.js';
import { type CobrewVariant, runScenario, type ScenarioRun } from './run.js';
import type { Scenario } from './scenarios.js';

const DAY_MS = 86_400_000;

/**
 * Three and a half days through the fermentation heat peak (a 1.050 wort pitched 36 h before): 18 °C, a
 * step down to 14 °C, a step back up to 18 °C; long enough for the slowest fridge to arrive flat out.
 */
export function sweepScenario(f: SweepFermenter): Scenario {
  const { meanC, swingC } = f.room;
  return {
    name: f.name,
    description: `sweep: ${f.name}, room ${meanC - swingC}-${meanC + swingC} °C daily`,
    days: 3.5,
    board: { startBeerC: 18, originalGravity: 1.05, finalGravity: 1.01, fermentationDelayH: 36, ...f.board },
    ambient: (tMs) => meanC - swingC * Math.cos(2 * Math.PI * (((tMs / DAY_MS) % 1) - 5 / 24)),
    profile: [
      { type: 'hold', targetC: 18, durationH: 24 },
      { type: 'hold', targetC: 14, durationH: 36 },
      { type: 'hold', targetC: 18, durationH: 24 },
    ],
  };
}

export interface SweepRatios {
  /** Worst arrival over the jumps, against the flat-out limit. */
  arrivalRatio: number;
  /** cobrew's own overshoot, °C. */
  overshootC: number;
  settledRmsRatio: number;
  energyRatio: number;
  /** Compressor starts against BrewPi-style's (at least one). */
  startsRatio: number;
}

/** The ratios' names, in the order they are reported. */
export const RATIO_KEYS = [
  'arrivalRatio',
  'overshootC',
  'settledRmsRatio',
  'energyRatio',
  'startsRatio',
] as const satisfies ReadonlyArray<keyof SweepRatios>;

export interface SweepResult {
  fermenters: number;
  worst: SweepRatios;
  each: Array<
    {
      name: string;
      limitS: number[];
      /** The best arrival ratio any stop-and-coast reaches with overshoot within target, worst over the jumps. */
      noOvershootArrivalRatio: number;
      cobrew: ControllerFigures;
      brewpi: ControllerFigures;
    } & SweepRatios
  >;
}

/** One fermenter's figures: cobrew's run against BrewPi-style's and the limit (both runs enter the limit). */
export function sweepEntry(
  name: string,
  ideal: JumpLimits,
  cobrew: ScenarioRun,
  brewpi: ScenarioRun,
): SweepResult['each'][number] {
  const limitS = jumpLimitS(ideal.arrivalS, [cobrew.flatOutS, brewpi.flatOutS]);
  const c = cobrew.figures;
  const b = brewpi.figures;
  return {
    name,
    limitS,
    noOvershootArrivalRatio: Math.max(...limitS.map((l, i) => (ideal.coast[i]?.arrivalS ?? Number.NaN) / l)),
    cobrew: c,
    brewpi: b,
    arrivalRatio: arrivalRatio(c.arrivalS, limitS) ?? Number.NaN,
    ...againstBrewPi(c, b),
  };
}

/** The worst of each ratio over the fermenters, and which fermenter it is (the first, on a tie). */
export function sweepWorstNamed(
  each: ReadonlyArray<SweepRatios & { name: string }>,
): Record<keyof SweepRatios, { value: number; fermenter: string }> {
  const first = each[0];
  if (first === undefined) throw new RangeError('the sweep has no fermenter');
  const worst = {} as Record<keyof SweepRatios, { value: number; fermenter: string }>;
  for (const k of RATIO_KEYS) {
    let at = first;
    for (const e of each) if (e[k] > at[k]) at = e;
    worst[k] = { value: at[k], fermenter: at.name };
  }
  return worst;
}

/** The worst of each ratio over the fermenters. */
export function sweepWorst(each: ReadonlyArray<SweepRatios & { name: string }>): SweepRatios {
  const w = sweepWorstNamed(each);
  return {
    arrivalRatio: w.arrivalRatio.value,
    overshootC: w.overshootC.value,
    settledRmsRatio: w.settledRmsRatio.value,
    energyRatio: w.energyRatio.value,
    startsRatio: w.startsRatio.value,
  };
}

export function runSweep(
  fermenters: readonly SweepFermenter[],
  seed = 1,
  log = (_: string) => {},
  variant: CobrewVariant = {},
): SweepResult {
  const each: SweepResult['each'] = [];
  for (const f of fermenters) {
    const scenario = sweepScenario(f);
    const t0 = performance.now();
    const ideal = idealHoldLimits(scenario, seed);
    const cobrew = runScenario(scenario, 'cobrew', seed, variant);
    const brewpi = runScenario(scenario, 'brewpi', seed);
    each.push(sweepEntry(f.name, ideal, cobrew, brewpi));
    log(`sweep ${f.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { fermenters: each.length, worst: sweepWorst(each), each };
}
