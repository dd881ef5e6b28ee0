// The trade-off curves: cobrew's settings that trade one target against another, each a list of points
// (cobrew variants), the five target figures of each point, which points are on each curve's Pareto front,
// and whether any point meets each target. Pure: the runs are made by bench/tradeoffs.ts.
import { FlagError, numberFlag } from './flags.js';
import { OVERSHOOT_TARGET_C } from './limit.js';
import { againstBrewPi, type ControllerFigures } from './metrics.js';
import type { CobrewVariant } from './run.js';
import { RATIO_KEYS, type SweepRatios, sweepWorstNamed } from './sweep.js';

/** The five target figures, lower is better for each. */
export const TARGET_KEYS = RATIO_KEYS;
export type TargetKey = (typeof TARGET_KEYS)[number];

/** The targets: arrival × the flat-out limit, overshoot °C, and the rest × BrewPi-style's. */
export const TARGETS: Readonly<Record<TargetKey, number>> = {
  arrivalRatio: 1.05,
  overshootC: OVERSHOOT_TARGET_C,
  settledRmsRatio: 0.5,
  energyRatio: 1,
  startsRatio: 0.8,
};

/** One scenario's target figures; arrival is null on a scenario without a jump. */
export type TargetFigures = Record<Exclude<TargetKey, 'arrivalRatio'>, number> & {
  arrivalRatio: number | null;
};

export interface PointId {
  /** Unique over all curves: a point in several curves (the default) is run once. */
  id: string;
  label: string;
  variant: CobrewVariant;
}

export interface Curve {
  name: string;
  /** What it shows, for the printed table. */
  what: string;
  /** The figures the curve trades: its Pareto front is taken over these only. */
  trades: readonly TargetKey[];
  points: readonly PointId[];
}

export const DEFAULT_POINT: PointId = { id: 'default', label: 'default', variant: {} };

// The defaults are firmware-bridge/control/cascade.ts's DEFAULT_TUNING (coolPulseS 300, heatPulseS 90,
// chamberMinC −5) and model-controller.ts's DEFAULT_PLANNER (fastArrival and slowFridgePulses off).
const cool = (s: number): PointId => ({
  id: `cool-${s}`,
  label: `${s} s`,
  variant: { pulses: { coolPulseS: s } },
});
const heat = (s: number): PointId => ({
  id: `heat-${s}`,
  label: `${s} s`,
  variant: { pulses: { heatPulseS: s } },
});
const floor = (c: number): PointId => ({
  id: `floor-${c}`,
  label: `${String(c).replace('-', '−')} °C`,
  variant: { chamberMinC: c },
});
const atDefault = (label: string): PointId => ({ ...DEFAULT_POINT, label: `${label} (default)` });

export const CURVES: readonly Curve[] = [
  {
    name: 'cool-pulse',
    what: 'compressor pulse size (s of full power per start)',
    trades: ['startsRatio', 'settledRmsRatio', 'energyRatio'],
    points: [cool(240), atDefault('300 s'), cool(450), cool(600), cool(900)],
  },
  {
    name: 'heat-pulse',
    what: "heater pulse size (s of full power per start; the default's 45 s while holding on a quick heater stays on)",
    trades: ['energyRatio', 'settledRmsRatio'],
    points: [heat(45), heat(60), atDefault('90 s'), heat(180)],
  },
  {
    name: 'chamber-floor',
    what: 'the coldest air the planner asks for while arriving (chamberMinC), and fastArrival (no floor, braked)',
    trades: ['arrivalRatio', 'overshootC', 'energyRatio'],
    points: [
      atDefault('−5 °C'),
      floor(-7.5),
      floor(-10),
      { id: 'fast-arrival', label: '−5 °C + fastArrival', variant: { planner: { fastArrival: true } } },
    ],
  },
  {
    name: 'slow-fridge-pulses',
    what: 'long compressor runs on fridges whose air answers slowly (slowFridgePulses)',
    trades: ['startsRatio', 'energyRatio', 'overshootC'],
    points: [
      atDefault('off'),
      { id: 'slow-fridge-pulses', label: 'on', variant: { planner: { slowFridgePulses: true } } },
    ],
  },
];

/** The target figures of cobrew on one scenario, against BrewPi-style on the same scenario. */
export function targetFigures(
  cobrew: ControllerFigures,
  brewpi: ControllerFigures,
  arrivalRatio: number | null,
): TargetFigures {
  return { arrivalRatio, ...againstBrewPi(cobrew, brewpi) };
}

export interface ScenarioPoint extends TargetFigures {
  compressorStarts: number;
  kWh: number;
}

export interface SweepWorst {
  /** The worst of each figure over the fermenters, and which fermenter it is. */
  worst: Record<TargetKey, { value: number; fermenter: string }>;
  /** cobrew's compressor starts and kWh summed over the fermenters. */
  compressorStarts: number;
  kWh: number;
}

export interface PointResult {
  id: string;
  label: string;
  variant: CobrewVariant;
  scenarios: Record<string, ScenarioPoint>;
  sweep: SweepWorst | null;
}

/** The sweep's worst of each figure, naming the fermenter (the first, on a tie). */
export function sweepWorstOf(
  each: ReadonlyArray<SweepRatios & { name: string; cobrew: ControllerFigures }>,
): SweepWorst {
  return {
    worst: sweepWorstNamed(each),
    compressorStarts: each.reduce((n, e) => n + e.cobrew.compressorStarts, 0),
    kWh: each.reduce((n, e) => n + e.cobrew.kWh, 0),
  };
}

/** Whether the point meets the target on every reference scenario and at the sweep's worst. */
export function meets(p: PointResult, k: TargetKey): boolean {
  const cells = worstCells(p, k);
  return cells.length > 0 && cells.every((v) => v <= TARGETS[k]);
}

/**
 * What decides a figure against its target: its worst over the reference scenarios (arrival only where there
 * is a jump) and, apart, the sweep's worst, so the sweep's larger figures do not hide the reference ones.
 * Empty cells are left out (no jump anywhere, no sweep).
 */
export function worstCells(p: PointResult, k: TargetKey): number[] {
  const ref = Object.values(p.scenarios).flatMap((s) => (s[k] === null ? [] : [s[k]]));
  return [...(ref.length > 0 ? [Math.max(...ref)] : []), ...(p.sweep ? [p.sweep.worst[k].value] : [])];
}

/**
 * The curve's Pareto front: a point is on it unless another point of the curve is at least as good (lower or
 * equal) on every traded figure's worst cells (worstCells) and better on at least one. Returns the ids on
 * the front, in the curve's order.
 */
export function paretoFront(points: readonly PointResult[], trades: readonly TargetKey[]): string[] {
  const vectors = points.map((p) => trades.flatMap((k) => worstCells(p, k)));
  const dominates = (a: number[], b: number[]) =>
    a.length === b.length &&
    a.every((v, i) => v <= (b[i] as number)) &&
    a.some((v, i) => v < (b[i] as number));
  return points
    .filter((_, i) => !vectors.some((v, j) => j !== i && dominates(v, vectors[i] as number[])))
    .map((p) => p.id);
}

export interface TargetSummary {
  /** Per target, the points (curve/id) that meet it on every reference scenario and the sweep's worst. */
  met: Record<TargetKey, string[]>;
  /** The points that meet all five. */
  allFive: string[];
}

export function targetSummary(points: readonly PointResult[]): TargetSummary {
  const met = {} as TargetSummary['met'];
  for (const k of TARGET_KEYS) met[k] = points.filter((p) => meets(p, k)).map((p) => p.id);
  return { met, allFive: points.filter((p) => TARGET_KEYS.every((k) => meets(p, k))).map((p) => p.id) };
}

export interface TradeoffFlags {
  json: boolean;
  seed: number;
  curves: Curve[];
  sweep: boolean;
}

/** The bench's flags, checked: unknown curves and a bad seed throw FlagError naming the flag. */
export function tradeoffFlags(values: {
  json?: boolean;
  seed?: string;
  curve?: string[];
  'no-sweep'?: boolean;
}): TradeoffFlags {
  const names = values.curve ?? CURVES.map((c) => c.name);
  const unknown = names.filter((n) => !CURVES.some((c) => c.name === n));
  if (unknown.length > 0)
    throw new FlagError(
      `--curve ${unknown.join(', ')}: unknown; use one of ${CURVES.map((c) => c.name).join(', ')}`,
    );
  return {
    json: values.json ?? false,
    seed: numberFlag('seed', values.seed ?? '1'),
    curves: CURVES.filter((c) => names.includes(c.name)),
    sweep: !(values['no-sweep'] ?? false),
  };
}
