import { describe, expect, it } from 'vitest';
import { BrewPiLegacyController } from '../../../bench/baselines/brewpi-legacy.js';
import type { ControlOutput, ControlTarget } from '../../../firmware-bridge/types.js';
import {
  beer,
  chamber,
  FridgePlant,
  inputAt,
  runClosedLoop,
  runLengths,
  T0,
  type Tick,
} from './fridge-plant.js';

const OFF: ControlTarget = { mode: 'off' };

/** Steps a controller with fixed readings from second `from` to `to` (exclusive). */
function hold(
  c: BrewPiLegacyController,
  from: number,
  to: number,
  target: ControlTarget,
  beerC: number | null,
  chamberC: number | null,
): ControlOutput[] {
  const outs: ControlOutput[] = [];
  for (let t = from; t < to; t++) outs.push(c.step(inputAt(t, target, beerC, chamberC)));
  return outs;
}

describe('BrewPi legacy: after reset', () => {
  it('waits MIN_SWITCH_TIME (600 s) before the first cooling, as the firmware does after a reset', () => {
    const c = new BrewPiLegacyController();
    const outs = hold(c, 0, 700, beer(18), 22, 24);
    for (const [t, o] of outs.entries()) {
      if (t < 600) {
        expect(o.request).toEqual({ heat: false, cool: false });
        expect(o.state).toBe('waiting-to-cool');
      }
    }
    expect(outs[600]?.state).toBe('cooling');
    expect(outs[600]?.request.cool).toBe(true);
  });

  it('waits 600 s before the first heating too', () => {
    const c = new BrewPiLegacyController();
    const outs = hold(c, 0, 700, beer(18), 14, 10);
    expect(outs.slice(0, 600).every((o) => !o.request.heat && !o.request.cool)).toBe(true);
    expect(outs[599]?.state).toBe('waiting-to-heat');
    expect(outs[600]?.request.heat).toBe(true);
  });

  it('runs its loop once a second: a second step within the same second changes nothing', () => {
    const c = new BrewPiLegacyController();
    const first = c.step(inputAt(0, beer(18), 22, 24));
    const again = c.step({ ...inputAt(0, beer(18), 30, 30), now: T0 + 500 });
    expect(again).toBe(first);
    expect(c.step(inputAt(1, beer(18), 22, 24))).not.toBe(first);
  });
});

describe('BrewPi legacy: beer PID', () => {
  it.each([
    ['unclamped: 20 + 5 × 0.2', 20, 19.8, 21],
    ['beer setting − 10', 20, 25, 10],
    ['beer setting + 10', 15, 10, 25],
    ['30 °C at most', 25, 15, 30],
    ['1 °C at least', 5, 10, 1],
  ])('fridge setting %s', (_, beerSet, beerC, expected) => {
    const c = new BrewPiLegacyController();
    const out = c.step(inputAt(0, beer(beerSet), beerC, 20));
    // Readings are held in 1/512 °C, as in the firmware.
    expect(out.chamberTargetC).toBeCloseTo(expected, 2);
  });

  it('uses Kp 5 on the slow-filtered beer error and Kd −1.5 on its slope (°C/h)', () => {
    const c = new BrewPiLegacyController();
    // Beer warming at 0.5 °C/h while the chamber sits at the fridge setting.
    let out: ControlOutput | undefined;
    for (let t = 0; t < 4 * 3600; t++) {
      out = c.step(inputAt(t, beer(20), 19 + (0.5 * t) / 3600, out?.chamberTargetC ?? 20));
    }
    const v = c.controlVariables();
    expect(v.beerSlope).toBeGreaterThan(0.48);
    expect(v.beerSlope).toBeLessThan(0.52);
    expect(v.d).toBeCloseTo(-1.5 * v.beerSlope, 2);
    expect(v.p).toBeCloseTo(5 * v.beerDiff, 2);
    expect(out?.chamberTargetC).toBeCloseTo(20 + v.p + v.i + v.d, 2);
  });

  /** A chamber that is always at the fridge setting keeps BrewPi idle, so only the integrator moves. */
  function perfectChamber(
    c: BrewPiLegacyController,
    seconds: number,
    beerC: (t: number) => number,
    beerSet = 20,
  ) {
    const updates: Array<{
      t: number;
      before: number;
      after: number;
      beerDiff: number;
      stateBefore: string;
    }> = [];
    let fridgeC = beerSet;
    let state = 'idle';
    for (let t = 0; t < seconds; t++) {
      const before = c.controlVariables().diffIntegral;
      const out = c.step(inputAt(t, beer(beerSet), beerC(t), fridgeC));
      const v = c.controlVariables();
      if (v.diffIntegral !== before) {
        updates.push({ t, before, after: v.diffIntegral, beerDiff: v.beerDiff, stateBefore: state });
      }
      fridgeC = out.chamberTargetC ?? fridgeC;
      state = out.state;
    }
    return updates;
  }

  it('grows the integrator by the beer error on every 61st loop (each minute) while idle', () => {
    const c = new BrewPiLegacyController();
    const updates = perfectChamber(c, 1800, () => 19.88);
    expect(updates.length).toBe(29);
    expect(updates[0]?.t).toBe(60);
    for (let k = 1; k < updates.length; k++) expect((updates[k]?.t ?? 0) - (updates[k - 1]?.t ?? 0)).toBe(61);
    for (const [k, u] of updates.entries()) {
      expect(u.stateBefore).toBe('idle');
      // The firmware counts an integrator of exactly 0 as negative, so a positive error's first step is
      // taken as a decrease: doubled, and without the saturation checks.
      expect(u.after - u.before).toBeCloseTo(k === 0 ? 2 * u.beerDiff : u.beerDiff, 9);
      expect(u.beerDiff).toBeCloseTo(0.12, 2);
    }
    const v = c.controlVariables();
    expect(v.i).toBeCloseTo(0.25 * 30 * v.beerDiff, 9);
  });

  it('does not move the integrator while not idle (waiting to heat, heating)', () => {
    const c = new BrewPiLegacyController();
    // Fridge 1.5 °C under its setting: beyond the idle band, within the 2 °C saturation limit.
    const outs = hold(c, 0, 3000, beer(20), 19.7, 20);
    expect(outs.some((o) => o.state === 'waiting-to-heat')).toBe(true);
    expect(outs.some((o) => o.request.heat)).toBe(true);
    expect(outs.every((o) => o.state !== 'idle')).toBe(true);
    expect(c.controlVariables().diffIntegral).toBe(0);
    expect(outs.every((o) => o.chamberTargetC === outs[0]?.chamberTargetC)).toBe(true);
  });

  it('does not grow the integrator while the fridge setting is saturated at 1 °C', () => {
    const c = new BrewPiLegacyController();
    // A negative error, so that the first step is not the doubled "decrease" of an integrator at 0.
    const outs = hold(c, 0, 2000, beer(1.5), 1.8, 1);
    expect(outs.every((o) => o.state === 'idle' && o.chamberTargetC === 1)).toBe(true);
    expect(c.controlVariables().diffIntegral).toBe(0);
  });

  it('does not grow the integrator while the fridge setting is saturated at 30 °C', () => {
    const c = new BrewPiLegacyController();
    const outs = hold(c, 0, 2000, beer(29), 28.7, 30);
    expect(outs.every((o) => o.state === 'idle' && o.chamberTargetC === 30)).toBe(true);
    const first = 2 * c.controlVariables().beerDiff;
    expect(c.controlVariables().diffIntegral).toBeCloseTo(first, 9);
  });

  it('shrinks the integrator twice as fast as it grows, and decays it by 1/8 when the error exceeds 0.5 °C', () => {
    const c = new BrewPiLegacyController();
    // +0.12 °C error for an hour, then −0.06 °C, then +1 °C (beyond iMaxError).
    const beerC = (t: number) => (t < 3600 ? 19.88 : t < 7200 ? 20.06 : 19);
    const updates = perfectChamber(c, 3 * 3600, beerC);
    let shrinks = 0;
    let decays = 0;
    for (const u of updates) {
      expect(u.stateBefore).toBe('idle');
      const delta = u.after - u.before;
      if (Math.abs(u.beerDiff) >= 0.5) {
        expect(delta).toBeCloseTo(-u.before / 8, 9);
        decays++;
      } else if (u.beerDiff > 0 !== u.before > 0) {
        expect(delta).toBeCloseTo(2 * u.beerDiff, 9);
        shrinks++;
      } else {
        expect(delta).toBeCloseTo(u.beerDiff, 9);
      }
    }
    expect(shrinks).toBeGreaterThan(5);
    expect(decays).toBeGreaterThan(5);
  });
});

describe('BrewPi legacy: fridge state machine', () => {
  it('stops cooling on the estimated peak, before the fridge reaches its setting, then tunes the estimator', () => {
    const c = new BrewPiLegacyController();
    const plant = new FridgePlant({ roomC: 20, chamberC: 20, beerC: 20 });
    let stop: Tick | undefined;
    const ratios: number[] = [];
    let est = c.controlVariables().coolEstimator;
    let wasCooling = false;
    runClosedLoop(
      c,
      plant,
      4 * 3600,
      () => chamber(10),
      (tick) => {
        if (wasCooling && !tick.out.request.cool && !stop) stop = tick;
        wasCooling = tick.out.request.cool;
        const now = c.controlVariables().coolEstimator;
        if (now !== est) ratios.push(now / est);
        est = now;
      },
    );
    expect(stop).toBeDefined();
    expect(stop?.out.state).toBe('idle');
    expect(stop?.chamberC).toBeGreaterThan(10.5);
    expect(c.controlVariables().negPeakEstimate).toBeLessThanOrEqual(10);
    expect(ratios.length).toBeGreaterThan(1);
    for (const r of ratios) {
      const up = r >= 614 / 512 && r <= 768 / 512;
      const down = r >= 341 / 512 && r <= 426 / 512;
      expect(up || down).toBe(true);
    }
  });

  it('honours min on/off times and 600 s between heating and cooling over two noisy days', () => {
    const c = new BrewPiLegacyController();
    const plant = new FridgePlant({ roomC: 15, chamberC: 15, beerC: 15, noiseC: 0.05, seed: 3 });
    const heat: boolean[] = [];
    const cool: boolean[] = [];
    let both = 0;
    let outsideClamp = 0;
    // Alternate a cold and a warm beer target every 6 h so both outputs cycle and hand over.
    const target = (t: number) => beer(Math.floor(t / 21600) % 2 === 0 ? 10 : 20);
    runClosedLoop(c, plant, 2 * 86400, target, ({ out, input }) => {
      heat.push(out.request.heat);
      cool.push(out.request.cool);
      if (out.request.heat && out.request.cool) both++;
      const set = input.target.mode === 'beer' ? input.target.beerC : Number.NaN;
      const f = out.chamberTargetC ?? Number.NaN;
      if (!(f >= Math.max(1, set - 10) && f <= Math.min(30, set + 10))) outsideClamp++;
    });
    expect(both).toBe(0);
    expect(outsideClamp).toBe(0);
    const h = runLengths(heat);
    const k = runLengths(cool);
    expect(h.on.length).toBeGreaterThan(3);
    expect(k.on.length).toBeGreaterThan(3);
    expect(Math.min(...h.on)).toBeGreaterThanOrEqual(180);
    expect(Math.min(...k.on)).toBeGreaterThanOrEqual(180);
    expect(Math.min(...h.off)).toBeGreaterThanOrEqual(300);
    expect(Math.min(...k.off)).toBeGreaterThanOrEqual(300);

    let lastHeatOff = Number.NEGATIVE_INFINITY;
    let lastCoolOff = Number.NEGATIVE_INFINITY;
    let handovers = 0;
    for (let t = 1; t < heat.length; t++) {
      if (heat[t - 1] && !heat[t]) lastHeatOff = t;
      if (cool[t - 1] && !cool[t]) lastCoolOff = t;
      if (cool[t] && !cool[t - 1] && lastHeatOff > lastCoolOff) {
        expect(t - lastHeatOff).toBeGreaterThanOrEqual(600);
        handovers++;
      }
      if (heat[t] && !heat[t - 1] && lastCoolOff > lastHeatOff) {
        expect(t - lastCoolOff).toBeGreaterThanOrEqual(600);
        handovers++;
      }
    }
    expect(handovers).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['cool', 11.5, 9, 'cooling-min-time'],
    ['heat', 8.5, 11, 'heating-min-time'],
  ] as const)(
    'keeps %s on for its minimum of 180 s even when the target is reached at once',
    (output, before, after, minState) => {
      const c = new BrewPiLegacyController();
      hold(c, 0, 600, chamber(10), 15, before);
      const run = hold(c, 600, 1000, chamber(10), 15, after);
      const on = run.findIndex((o) => !o.request[output]);
      expect(run[0]?.request[output]).toBe(true);
      expect(run.some((o) => o.state === minState)).toBe(true);
      expect(on).toBe(181);
    },
  );

  /** Fridge constant at 10 °C, the fridge stuck at 11.5 °C: one cooling run that ends on the estimate. */
  function afterOneCoolingRun() {
    const c = new BrewPiLegacyController();
    const outs = hold(c, 0, 1800, chamber(10), 15, 11.5);
    const start = outs.findIndex((o) => o.request.cool);
    const stop = outs.findIndex((o, t) => t > start && !o.request.cool);
    return { c, outs, start, stop };
  }

  it('ends a cooling run when fridge − estimator × run time / 3600 reaches the setting', () => {
    const { c, start, stop } = afterOneCoolingRun();
    expect(start).toBe(600);
    // 11.5 − 5 × t / 3600 ≤ 10 from t = 1080 s of cooling.
    expect(stop - start).toBe(1080);
    expect(c.controlVariables().negPeakEstimate).toBeLessThanOrEqual(10);
  });

  it('waits for the peak before cooling again, and after 1800 s takes a slow drift as overestimated overshoot', () => {
    const { c, stop } = afterOneCoolingRun();
    const outs = hold(c, 1800, 4000, chamber(10), 15, 11.5);
    const at = (t: number) => outs[t - 1800];
    const lastCool = stop - 1;
    expect(at(lastCool + 601)?.state).toBe('waiting-for-peak-detect');
    expect(at(lastCool + 1800)?.request.cool).toBe(false);
    const restart = outs.findIndex((o) => o.request.cool) + 1800;
    expect(restart).toBe(lastCool + 1802);
    expect(c.controlVariables().coolEstimator).toBeCloseTo((5 * 341) / 512, 9);
  });

  it('a new fridge setting restarts peak detection', () => {
    const { c, stop } = afterOneCoolingRun();
    const waiting = hold(c, 1800, stop + 700, chamber(10), 15, 11.5);
    expect(waiting.at(-1)?.state).toBe('waiting-for-peak-detect');
    const moved = c.step(inputAt(stop + 700, chamber(9.5), 15, 11.5));
    expect(moved.request.cool).toBe(true);
  });

  it('goes idle with outputs off at once when a probe is lost, even within the minimum on-time', () => {
    const c = new BrewPiLegacyController();
    hold(c, 0, 600, chamber(10), 20, 20);
    const cooling = hold(c, 600, 610, chamber(10), 20, 20);
    expect(cooling.every((o) => o.request.cool)).toBe(true);
    const lost = c.step(inputAt(610, chamber(10), 20, null));
    expect(lost.request).toEqual({ heat: false, cool: false });
    expect(lost.state).toBe('idle');
    expect(lost.chamberTargetC).toBe(10);
  });

  it('in beer mode a lost beer probe idles it too; in fridge-constant mode the beer probe is not needed', () => {
    const b = new BrewPiLegacyController();
    hold(b, 0, 610, beer(18), 22, 24);
    const lost = b.step(inputAt(610, beer(18), null, 24));
    expect(lost.request.cool).toBe(false);
    expect(lost.state).toBe('idle');

    const f = new BrewPiLegacyController();
    const outs = hold(f, 0, 700, chamber(10), null, 20);
    expect(outs[650]?.request.cool).toBe(true);
  });

  it('mode off: outputs off, no fridge setting', () => {
    const c = new BrewPiLegacyController();
    hold(c, 0, 610, beer(18), 22, 24);
    const off = c.step(inputAt(610, OFF, 22, 24));
    expect(off).toEqual({ request: { heat: false, cool: false }, chamberTargetC: null, state: 'off' });
  });

  it('fridge-constant mode steers the fridge to the chamber target with a 600 s minimum cool-off time', () => {
    const c = new BrewPiLegacyController();
    const plant = new FridgePlant({ roomC: 24, chamberC: 24, beerC: 24 });
    const cool: boolean[] = [];
    runClosedLoop(
      c,
      plant,
      6 * 3600,
      () => chamber(12),
      ({ out }) => {
        expect(out.chamberTargetC).toBe(12);
        cool.push(out.request.cool);
      },
    );
    const k = runLengths(cool);
    expect(k.off.length).toBeGreaterThan(2);
    expect(Math.min(...k.off)).toBeGreaterThanOrEqual(600);
    expect(Math.abs(plant.chamberC - 12)).toBeLessThan(2);
  });
});
