import { describe, expect, it } from 'vitest';
import {
  CascadeController,
  type CascadeTuning,
  SLOW_PULSE_MAX_S,
} from '../../../firmware-bridge/control/cascade.js';
import type { ControlInput, Outputs, TimingLimits } from '../../../firmware-bridge/types.js';
import { H, mean, runRig } from './sim-rig.js';

const LIMITS: TimingLimits = {
  heat: { minOnS: 60, minOffS: 60, maxOnS: 4 * H },
  cool: { minOnS: 180, minOffS: 300, maxOnS: 24 * H },
  interlockDeadS: 600,
};
const T0 = Date.UTC(2026, 0, 1);

/** Drives a bare controller with scripted chamber readings; `applied` echoes what it asked for. */
function drive(
  tuning: Partial<CascadeTuning>,
  seconds: number,
  chamberAt: (s: number) => number,
  appliedAt: (s: number, asked: Outputs) => Outputs = (_s, asked) => asked,
): Outputs[] {
  const c = new CascadeController(LIMITS, tuning);
  const asked: Outputs[] = [];
  let applied: Outputs = { heat: false, cool: false };
  for (let s = 0; s < seconds; s++) {
    const input: ControlInput = {
      now: T0 + s * 1000,
      readings: { at: T0 + s * 1000, beer: null, chamber: chamberAt(s), ambient: 20 },
      target: { mode: 'chamber', chamberC: 18 },
      applied,
    };
    const out = c.step(input);
    asked.push(out.request);
    applied = appliedAt(s, out.request);
  }
  return asked;
}

describe('CascadeController on the simulator', () => {
  const step = runRig({
    control: {
      mode: 'profile',
      profile: [
        { type: 'hold', targetC: 18, durationH: 3 },
        { type: 'hold', targetC: 4, durationH: 21 },
      ],
    },
    board: { startBeerC: 18, originalGravity: 1.012, finalGravity: 1.012 },
    roomC: 20,
    hours: 24,
  });

  it('never asks for heat and cool together, and plans within the timing so the guard never overrides', () => {
    for (const s of step.samples) {
      expect(s.requested.heat && s.requested.cool).toBe(false);
      expect(s.requested).toEqual(s.applied);
    }
    expect(step.incidents).toEqual([]);
  });

  it('crashes 18 → 4 °C with the chamber at its floor, then lands without overshooting more than 0.25 °C', () => {
    const after = step.samples.filter((s) => s.tS > 3 * H);
    const landed = after.findIndex((s) => s.beerC <= 4.5);
    expect(landed).toBeGreaterThan(0);
    // Time-optimal: the beer gets there within 9 h of the step.
    expect(after[landed]?.tS).toBeLessThan(12 * H);
    // Saturated at the floor while far away (default chamberMinC -5 °C), not at the beer target.
    expect(Math.min(...after.slice(0, landed).map((s) => s.chamberTargetC ?? 99))).toBe(-5);
    const lowest = Math.min(...after.slice(landed).map((s) => s.beerC));
    expect(4 - lowest).toBeLessThan(0.25);
  });

  it('does not wind up during the saturated crash: the chamber target comes off the floor before the beer lands', () => {
    const after = step.samples.filter((s) => s.tS > 3 * H);
    const released = after.findIndex((s) => (s.chamberTargetC ?? -99) > 0);
    const landed = after.findIndex((s) => s.beerC <= 4.05);
    expect(released).toBeGreaterThan(0);
    expect(released).toBeLessThan(landed);
    // Held afterwards: the last 6 h average within 0.1 °C of the target.
    const tail = step.samples.filter((s) => s.tS > 18 * H).map((s) => s.beerC);
    expect(Math.abs(mean(tail) - 4)).toBeLessThan(0.1);
  });

  it('holds a chamber target on average, with both outputs off most of the time', () => {
    const run = runRig({
      control: { mode: 'chamber', chamberSetpointC: 12 },
      board: { startBeerC: 12, originalGravity: 1.012, finalGravity: 1.012 },
      roomC: 22,
      hours: 16,
    });
    const tail = run.samples.filter((s) => s.tS > 6 * H);
    expect(Math.abs(mean(tail.map((s) => s.chamberC)) - 12)).toBeLessThan(0.15);
    expect(tail.filter((s) => s.applied.heat).length / tail.length).toBeLessThan(0.02);
    for (const s of run.samples) expect(s.requested).toEqual(s.applied);
  });
});

describe('CascadeController pulse planning', () => {
  // After a compressor run the chamber (target 18) is at 15 °C and warms back by itself at 0.15 °C/min.
  const coolFor = 240;
  const chamber = (s: number) => (s < coolFor ? 19 - s / 60 : Math.min(18, 15 + ((s - coolFor) * 0.15) / 60));
  const applied = (s: number, asked: Outputs): Outputs => (s < coolFor ? { heat: false, cool: true } : asked);

  it('does not start the heater while the chamber drifts up towards its target by itself', () => {
    const asked = drive({}, 3600, chamber, applied).slice(coolFor);
    expect(asked.some((o) => o.heat)).toBe(false);
  });

  it('would heat there without the drift rule (the test can fail)', () => {
    const asked = drive({ driftReachS: 0 }, 3600, chamber, applied).slice(coolFor);
    expect(asked.some((o) => o.heat)).toBe(true);
  });

  it("builds smaller heater pulses when a planner asks for them, and the tuning's again after", () => {
    // The chamber held 0.5 °C under its target: a small, steady heating demand.
    const heatRuns = (pulseS?: number) => {
      const c = new CascadeController(LIMITS);
      c.heatPulse(pulseS);
      let applied: Outputs = { heat: false, cool: false };
      const runs: number[] = [];
      for (let s = 0; s < 4 * H; s++) {
        const out = c.step({
          now: T0 + s * 1000,
          readings: { at: T0 + s * 1000, beer: null, chamber: 17.5, ambient: 20 },
          target: { mode: 'chamber', chamberC: 18 },
          applied,
        });
        if (out.request.heat && !applied.heat) runs.push(0);
        if (out.request.heat) runs[runs.length - 1] = (runs.at(-1) ?? 0) + 1;
        applied = out.request;
      }
      return runs;
    };
    const tuned = heatRuns();
    const small = heatRuns(45);
    expect(heatRuns(undefined)).toEqual(tuned);
    // The same heat on average, in more and shorter pulses.
    expect(small.length).toBeGreaterThan(tuned.length);
    expect(mean(small)).toBeLessThan(0.75 * mean(tuned));
    expect(Math.abs(small.reduce((a, b) => a + b, 0) / tuned.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(
      0.15,
    );
  });

  it('respects the interlock dead time and minimum on/off times when left to itself', () => {
    // A chamber swinging around its target forces frequent decisions.
    const asked = drive({}, 6 * H, (s) => 18 + 2 * Math.sin((2 * Math.PI * s) / 2400));
    let last = { heat: -Infinity, cool: -Infinity };
    let onAt = { heat: -Infinity, cool: -Infinity };
    let prev: Outputs = { heat: false, cool: false };
    asked.forEach((o, s) => {
      expect(o.heat && o.cool).toBe(false);
      for (const k of ['heat', 'cool'] as const) {
        const other = k === 'heat' ? 'cool' : 'heat';
        if (o[k] && !prev[k]) {
          expect(s - last[k]).toBeGreaterThanOrEqual(LIMITS[k].minOffS);
          expect(s - last[other]).toBeGreaterThanOrEqual(LIMITS.interlockDeadS);
          onAt = { ...onAt, [k]: s };
        }
        if (!o[k] && prev[k]) {
          expect(s - onAt[k]).toBeGreaterThanOrEqual(LIMITS[k].minOnS);
          last = { ...last, [k]: s };
        }
      }
      prev = o;
    });
  });

  it('waits for min-off after start-up before the first run, as the guard does', () => {
    // Full demand from the first second: only the start-up min-off holds the output back.
    const firstCool = drive({}, 900, () => 25).findIndex((o) => o.cool);
    const firstHeat = drive({}, 900, () => 10).findIndex((o) => o.heat);
    expect(firstCool).toBeGreaterThanOrEqual(LIMITS.cool.minOffS);
    expect(firstCool).toBeLessThan(LIMITS.cool.minOffS + 5);
    expect(firstHeat).toBeGreaterThanOrEqual(LIMITS.heat.minOffS);
    expect(firstHeat).toBeLessThan(LIMITS.heat.minOffS + 120);
  });

  it('keeps the chamber target within chamberMinC and chamberMaxC', () => {
    const c = new CascadeController(LIMITS, { chamberMinC: -3, chamberMaxC: 25 });
    const at = (s: number, beer: number, target: number) =>
      c.step({
        now: T0 + s * 1000,
        readings: { at: T0 + s * 1000, beer, chamber: beer, ambient: 20 },
        target: { mode: 'beer', beerC: target, slopeCPerS: 0 },
        applied: { heat: false, cool: false },
      }).chamberTargetC;
    expect(at(0, 20, 2)).toBe(-3);
    expect(at(1, 2, 30)).toBe(25);
  });
});

describe('CascadeController slow-fridge pulses', () => {
  /**
   * A slow fridge's air, stepped with the controller: the compressor's cold reaches it only after a 10-minute
   * dead time and through a 6-minute lag (as on the fitted Kölsch fridge), against a 22 °C room.
   */
  function slowFridge(transportS: number | null, seconds: number): { runsS: number[]; chamber: number[] } {
    const c = new CascadeController(LIMITS);
    if (transportS !== null) c.setTransport(transportS);
    const deadS = 600;
    const sent: number[] = [];
    let lagged = 0;
    let air = 18.5;
    let applied: Outputs = { heat: false, cool: false };
    const runsS: number[] = [];
    const chamber: number[] = [];
    let onFor = 0;
    for (let s = 0; s < seconds; s++) {
      const out = c.step({
        now: T0 + s * 1000,
        readings: { at: T0 + s * 1000, beer: null, chamber: air, ambient: 22 },
        target: { mode: 'chamber', chamberC: 18 },
        applied,
      });
      applied = out.request;
      if (applied.cool) onFor++;
      else if (onFor > 0) {
        runsS.push(onFor);
        onFor = 0;
      }
      sent.push(applied.cool ? 1 : 0);
      lagged += ((sent[s - deadS] ?? 0) - lagged) / 360;
      air += (22 - air) / 3600 - 0.004 * lagged + (applied.heat ? 0.002 : 0);
      chamber.push(air);
    }
    return { runsS, chamber };
  }

  it('runs the compressor a pulse of the fridge answer time at a time, and starts it less often', () => {
    const quick = slowFridge(null, 24 * H);
    const slow = slowFridge(960, 24 * H);
    expect(Math.min(...slow.runsS)).toBeGreaterThanOrEqual(960);
    expect(slow.runsS.length).toBeLessThanOrEqual(0.6 * quick.runsS.length);
    // The air is still held on its target on average, over the last 12 h.
    expect(Math.abs(mean(slow.chamber.slice(12 * H)) - 18)).toBeLessThan(0.3);
  });

  it('sizes no pulse beyond SLOW_PULSE_MAX_S, however slow the learnt answer', () => {
    // An hour's answer time: uncapped, every run would last at least that hour.
    const { runsS } = slowFridge(3600, 24 * H);
    expect(Math.min(...runsS)).toBeGreaterThanOrEqual(SLOW_PULSE_MAX_S);
    expect(Math.max(...runsS)).toBeLessThan(3600);
  });

  it('changes nothing on a quick fridge', () => {
    expect(slowFridge(120, 6 * H)).toEqual(slowFridge(null, 6 * H));
  });
});

describe('CascadeController within what the guard allows', () => {
  const chamberTarget = (chamberC: number, guardAirC?: { minC: number; maxC: number }) =>
    new CascadeController(LIMITS, guardAirC ? { guardAirC } : {}).step({
      now: T0,
      readings: { at: T0, beer: null, chamber: 20, ambient: 20 },
      target: { mode: 'chamber', chamberC },
      applied: { heat: false, cool: false },
    }).chamberTargetC;

  it('keeps a chamber target 2 °C inside the over-temperature cut-off and the probe range', () => {
    // A person's 40 °C chamber target against the guard's 40 °C cut-off would trip the fermenter.
    expect(chamberTarget(40)).toBe(38);
    expect(chamberTarget(18)).toBe(18);
    expect(chamberTarget(30, { minC: -15, maxC: 31 })).toBe(29);
    expect(chamberTarget(-5, { minC: -4, maxC: 40 })).toBe(-2);
  });

  it('brings a beer loop floor or ceiling set too close to the guard inside it', () => {
    const c = new CascadeController(LIMITS, {
      chamberMinC: -10,
      chamberMaxC: 45,
      guardAirC: { minC: -9, maxC: 40 },
    });
    expect(c.airLimits).toEqual({ floorC: -7, ceilingC: 38, coldestC: -7 });
    expect(new CascadeController(LIMITS).airLimits).toEqual({ floorC: -5, ceilingC: 30, coldestC: -13 });
  });
});
