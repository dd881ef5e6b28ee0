// The trade-off curves' pure logic on hand-made figures: Pareto fronts, targets met, the sweep's worst,
// and the bench's flags.
import { describe, expect, it } from 'vitest';
import { FLAG_RANGES, FlagError, numberFlag } from '../../../bench/control/flags.js';
import type { ControllerFigures } from '../../../bench/control/metrics.js';
import {
  CURVES,
  DEFAULT_POINT,
  meets,
  type PointResult,
  paretoFront,
  type ScenarioPoint,
  sweepWorstOf,
  TARGETS,
  targetFigures,
  targetSummary,
  tradeoffFlags,
  worstCells,
} from '../../../bench/control/tradeoffs.js';
import { ControlSchema } from '../../../firmware-bridge/config-schema.js';
import { DEFAULT_TUNING } from '../../../firmware-bridge/control/cascade.js';
import { DEFAULT_PLANNER } from '../../../firmware-bridge/control/model-controller.js';

/** A scenario point meeting every target, with the given figures instead. */
const sc = (over: Partial<ScenarioPoint> = {}): ScenarioPoint => ({
  arrivalRatio: 1.02,
  overshootC: 0.05,
  settledRmsRatio: 0.4,
  energyRatio: 0.9,
  startsRatio: 0.7,
  compressorStarts: 100,
  kWh: 1,
  ...over,
});

/** A point on two scenarios (the second without a jump) and, unless `sweep` is null, the sweep's worst. */
function point(
  id: string,
  a: Partial<ScenarioPoint> = {},
  b: Partial<ScenarioPoint> = {},
  sweep: Partial<Record<keyof typeof TARGETS, number>> | null = {},
): PointResult {
  const worst = { ...sc(), ...sweep };
  return {
    id,
    label: id,
    variant: {},
    scenarios: { one: sc(a), two: sc({ arrivalRatio: null, ...b }) },
    sweep:
      sweep === null
        ? null
        : {
            worst: {
              arrivalRatio: { value: worst.arrivalRatio as number, fermenter: 'f' },
              overshootC: { value: worst.overshootC, fermenter: 'f' },
              settledRmsRatio: { value: worst.settledRmsRatio, fermenter: 'f' },
              energyRatio: { value: worst.energyRatio, fermenter: 'f' },
              startsRatio: { value: worst.startsRatio, fermenter: 'f' },
            },
            compressorStarts: 0,
            kWh: 0,
          },
  };
}

describe('Pareto front of a curve', () => {
  it('drops a point another beats on every traded figure, and keeps the ones that trade', () => {
    const a = point('a', { startsRatio: 0.8, settledRmsRatio: 0.7 });
    const b = point('b', { startsRatio: 0.9, settledRmsRatio: 0.6 });
    const c = point('c', { startsRatio: 0.95, settledRmsRatio: 0.75 });
    expect(paretoFront([a, b, c], ['startsRatio', 'settledRmsRatio'])).toEqual(['a', 'b']);
  });

  it('looks only at the figures the curve trades', () => {
    // c is worse than a on starts and RMS but far better on energy, which this curve does not trade.
    const a = point('a', { startsRatio: 0.8, settledRmsRatio: 0.7 });
    const c = point(
      'c',
      { startsRatio: 0.95, settledRmsRatio: 0.75, energyRatio: 0.1 },
      { energyRatio: 0.1 },
      { energyRatio: 0.1 },
    );
    expect(paretoFront([a, c], ['startsRatio', 'settledRmsRatio'])).toEqual(['a']);
    expect(paretoFront([a, c], ['startsRatio', 'energyRatio'])).toEqual(['a', 'c']);
  });

  it('counts every scenario and the sweep: better on one scenario, worse at the sweep, is a trade', () => {
    const a = point('a', { energyRatio: 0.9 }, {}, { energyRatio: 1.5 });
    const b = point('b', { energyRatio: 1.0 }, {}, { energyRatio: 1.4 });
    expect(paretoFront([a, b], ['energyRatio'])).toEqual(['a', 'b']);
    const c = point('c', { energyRatio: 1.0 }, {}, { energyRatio: 1.6 });
    expect(paretoFront([a, c], ['energyRatio'])).toEqual(['a']);
  });

  it('takes the worst over the reference scenarios, not each scenario: a better best does not trade', () => {
    const a = point('a', { energyRatio: 0.5 }, { energyRatio: 1.2 });
    const b = point('b', { energyRatio: 1.0 }, { energyRatio: 1.1 });
    expect(paretoFront([a, b], ['energyRatio'])).toEqual(['b']);
    expect(worstCells(a, 'energyRatio')).toEqual([1.2, 0.9]);
    expect(worstCells(point('c', { arrivalRatio: null }, {}, null), 'arrivalRatio')).toEqual([]);
  });

  it('keeps two equal points (neither is better on any figure)', () => {
    expect(paretoFront([point('a'), point('b')], ['energyRatio', 'overshootC'])).toEqual(['a', 'b']);
  });
});

describe('targets met', () => {
  it('needs every reference scenario and the sweep within the target, equal counting as met', () => {
    expect(meets(point('a', { overshootC: TARGETS.overshootC }), 'overshootC')).toBe(true);
    expect(meets(point('a', {}, { overshootC: 0.11 }), 'overshootC')).toBe(false);
    expect(meets(point('a', {}, {}, { overshootC: 0.11 }), 'overshootC')).toBe(false);
    expect(meets(point('a', {}, {}, null), 'overshootC')).toBe(true);
  });

  it('skips arrival on a scenario without a jump, and has nothing to meet with no jump and no sweep', () => {
    expect(meets(point('a', { arrivalRatio: 1.04 }), 'arrivalRatio')).toBe(true);
    expect(meets(point('a', { arrivalRatio: 1.06 }), 'arrivalRatio')).toBe(false);
    expect(meets(point('a', { arrivalRatio: null }, {}, null), 'arrivalRatio')).toBe(false);
  });

  it('names the points meeting each target and those meeting all five', () => {
    const good = point('good');
    const slow = point('slow', { arrivalRatio: 1.2 });
    const hungry = point('hungry', {}, {}, { energyRatio: 1.3 });
    const s = targetSummary([good, slow, hungry]);
    expect(s.met.arrivalRatio).toEqual(['good', 'hungry']);
    expect(s.met.energyRatio).toEqual(['good', 'slow']);
    expect(s.met.startsRatio).toEqual(['good', 'slow', 'hungry']);
    expect(s.allFive).toEqual(['good']);
    expect(targetSummary([slow, hungry]).allFive).toEqual([]);
  });
});

const figures = (over: Partial<ControllerFigures>): ControllerFigures => ({
  rmsC: 0,
  settledRmsC: 0.02,
  maxDevC: 0,
  overshootC: 0,
  compressorStarts: 10,
  heaterStarts: 0,
  violationS: 0,
  guardOverrideS: 0,
  kWh: 1,
  arrivalS: [],
  ...over,
});

describe('a point’s figures', () => {
  it('takes cobrew against BrewPi-style, and starts against at least one', () => {
    const f = targetFigures(
      figures({ settledRmsC: 0.01, kWh: 3, compressorStarts: 8, overshootC: 0.2 }),
      figures({ settledRmsC: 0.04, kWh: 2, compressorStarts: 10 }),
      1.3,
    );
    expect(f).toEqual({
      arrivalRatio: 1.3,
      overshootC: 0.2,
      settledRmsRatio: 0.25,
      energyRatio: 1.5,
      startsRatio: 0.8,
    });
    expect(
      targetFigures(figures({ compressorStarts: 3 }), figures({ compressorStarts: 0 }), null).startsRatio,
    ).toBe(3);
  });

  it('takes the sweep’s worst of each figure, naming its fermenter, and sums starts and kWh', () => {
    const e = (name: string, r: number[], starts: number, kWh: number) => ({
      name,
      arrivalRatio: r[0] as number,
      overshootC: r[1] as number,
      settledRmsRatio: r[2] as number,
      energyRatio: r[3] as number,
      startsRatio: r[4] as number,
      cobrew: figures({ compressorStarts: starts, kWh }),
    });
    const w = sweepWorstOf([
      e('x', [1.1, 0.5, 0.9, 1.2, 0.7], 10, 1),
      e('y', [1.3, 0.2, 1.1, 1.0, 0.7], 5, 2),
    ]);
    expect(w.worst.arrivalRatio).toEqual({ value: 1.3, fermenter: 'y' });
    expect(w.worst.overshootC).toEqual({ value: 0.5, fermenter: 'x' });
    expect(w.worst.settledRmsRatio).toEqual({ value: 1.1, fermenter: 'y' });
    expect(w.worst.energyRatio).toEqual({ value: 1.2, fermenter: 'x' });
    expect(w.worst.startsRatio).toEqual({ value: 0.7, fermenter: 'x' });
    expect(w.compressorStarts).toBe(15);
    expect(w.kWh).toBe(3);
    expect(() => sweepWorstOf([])).toThrow(RangeError);
  });
});

describe('the curves', () => {
  it('share the default point, which is the firmware’s defaults', () => {
    for (const c of CURVES) expect(c.points.filter((p) => p.id === DEFAULT_POINT.id)).toHaveLength(1);
    expect(DEFAULT_POINT.variant).toEqual({});
    const labels = (name: string) => CURVES.find((c) => c.name === name)?.points.map((p) => p.label);
    expect(labels('cool-pulse')).toContain(`${DEFAULT_TUNING.coolPulseS} s (default)`);
    expect(labels('heat-pulse')).toContain(`${DEFAULT_TUNING.heatPulseS} s (default)`);
    expect(ControlSchema.properties.chamberMinC.default).toBe(-5);
    expect(labels('chamber-floor')).toContain('−5 °C (default)');
    expect(DEFAULT_PLANNER.fastArrival).toBe(false);
    expect(DEFAULT_PLANNER.slowFridgePulses).toBe(false);
    const ids = CURVES.flatMap((c) => c.points.filter((p) => p.id !== DEFAULT_POINT.id).map((p) => p.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('flags', () => {
  it('refuses an unknown curve, naming the flag and the curves', () => {
    expect(() => tradeoffFlags({ curve: ['cool-pulse', 'nope'] })).toThrow(FlagError);
    expect(() => tradeoffFlags({ curve: ['nope'] })).toThrow(
      /--curve nope: unknown; use one of cool-pulse, heat-pulse, chamber-floor, slow-fridge-pulses/,
    );
  });

  it('refuses a seed that is not an integer from 1 to 1e6', () => {
    for (const seed of ['0', '1.5', 'abc', '', '1000001', '-3'])
      expect(() => tradeoffFlags({ seed })).toThrow(/--seed .*an integer from 1 to 1000000/);
    expect(tradeoffFlags({ seed: '1000000' }).seed).toBe(1_000_000);
  });

  it('runs the named curves, every curve by default, and the sweep unless told not to', () => {
    const f = tradeoffFlags({ curve: ['heat-pulse'], 'no-sweep': true, seed: '2' });
    expect(f.curves.map((c) => c.name)).toEqual(['heat-pulse']);
    expect(f).toMatchObject({ seed: 2, sweep: false, json: false });
    const all = tradeoffFlags({});
    expect(all.curves).toEqual(CURVES);
    expect(all).toMatchObject({ seed: 1, sweep: true });
  });

  it('bounds bench:control’s numeric flags, the chamber floor by the config schema', () => {
    const schema = ControlSchema.properties.chamberMinC;
    expect(FLAG_RANGES['chamber-min']).toMatchObject({ min: schema.minimum, max: schema.maximum });
    expect(numberFlag('chamber-min', '-7.5')).toBe(-7.5);
    expect(() => numberFlag('chamber-min', String((schema.minimum ?? 0) - 0.5))).toThrow(/--chamber-min/);
    expect(() => numberFlag('cool-pulse', '10')).toThrow(
      /--cool-pulse "10": must be a number from 30 to 3600 s/,
    );
    expect(() => numberFlag('heat-pulse', 'NaN')).toThrow(/--heat-pulse/);
    expect(() => numberFlag('arrival-slack', '-0.1')).toThrow(/--arrival-slack/);
    expect(numberFlag('arrival-slack', '100')).toBe(100);
    expect(() => numberFlag('arrival-slack', ' ')).toThrow(/--arrival-slack/);
  });
});
