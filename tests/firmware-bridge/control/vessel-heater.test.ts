// A heater on the vessel (a wrap or belt) on the full control path: SimBoard → guard → cobrew → guard.
import { describe, expect, it } from 'vitest';
import { H, heatToCoolSwitches, mean, runRig, type Sample, settledRms } from './sim-rig.js';

/** A room that swings daily between lo and hi, coldest 5 h after the start. */
const daily = (lo: number, hi: number) => (tS: number) =>
  (lo + hi) / 2 - ((hi - lo) / 2) * Math.cos(2 * Math.PI * (tS / 86_400 - 5 / 24));

/** What the guard's heat-into-air rule looks for: the chamber held 2 °C above both beer and room. */
const airHeated = (s: Sample) => s.chamberC - Math.max(s.beerC, s.roomC) >= 2;

const highest = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
const lowest = (xs: number[]) => xs.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);

/** Never both outputs asked for, never overridden by the guard, no incident of any kind. */
function expectCleanPath(run: { samples: Sample[]; incidents: string[] }): void {
  const bad = run.samples.find(
    (s) =>
      (s.requested.heat && s.requested.cool) ||
      s.requested.heat !== s.applied.heat ||
      s.requested.cool !== s.applied.cool,
  );
  expect(bad).toBeUndefined();
  expect(run.incidents).toEqual([]);
}

describe('cobrew with a vessel heater in a cold room (8 °C), holding 18 °C for 2 days', () => {
  const run = runRig({
    control: { mode: 'beer', beerSetpointC: 18 },
    board: { heaterMount: 'vessel', startBeerC: 18, originalGravity: 1.012, finalGravity: 1.012 },
    roomC: 8,
    hours: 48,
  });

  it('holds the beer with the wrap alone: the compressor never runs', () => {
    expect(run.samples.some((s) => s.applied.cool)).toBe(false);
    const tail = run.samples.filter((s) => s.tS > 12 * H).map((s) => s.beerC - 18);
    expect(Math.abs(mean(tail))).toBeLessThan(0.02);
    expect(Math.sqrt(mean(tail.map((e) => e * e)))).toBeLessThan(0.03);
    expect(highest(tail.map(Math.abs))).toBeLessThan(0.1);
  });

  it('is never overridden, never trips, and never puts the heat into the air', () => {
    expectCleanPath(run);
    expect(run.samples.some(airHeated)).toBe(false);
  });

  it('does not steer the chamber while the wrap holds the beer', () => {
    const heating = run.samples.filter((s) => s.tS > 12 * H && s.state === 'heating');
    expect(heating.length).toBeGreaterThan(0);
    for (const s of heating) expect(s.chamberTargetC).toBeNull();
  });
});

describe('cobrew with a vessel heater on the 18 → 4 °C step (room 17–23 °C daily)', () => {
  const options = (heaterMount: 'chamber' | 'vessel') => ({
    control: {
      mode: 'profile' as const,
      profile: [
        { type: 'hold' as const, targetC: 18, durationH: 24 },
        { type: 'hold' as const, targetC: 4, durationH: 72 },
      ],
    },
    board: { heaterMount, startBeerC: 18, originalGravity: 1.012, finalGravity: 1.012 },
    roomC: daily(17, 23),
    hours: 96,
  });
  const vessel = runRig(options('vessel'));
  const chamber = runRig(options('chamber'));

  it('does not let heater and compressor take turns', () => {
    // The room crosses 18 °C twice a day, so the first day may need each side once or twice; a crash
    // that lands low may call the wrap once; the 4 °C hold needs no heat at all.
    expect(heatToCoolSwitches(vessel.samples)).toBeLessThanOrEqual(4);
    expect(heatToCoolSwitches(vessel.samples.filter((s) => s.tS > 24 * H))).toBeLessThanOrEqual(1);
    expect(vessel.samples.filter((s) => s.tS > 48 * H).some((s) => s.applied.heat)).toBe(false);
    // The chamber target no longer swings between heating and cooling once the beer has landed.
    const held = vessel.samples.filter((s) => s.tS > 48 * H && s.chamberTargetC !== null);
    expect(lowest(held.map((s) => s.chamberTargetC as number))).toBeGreaterThan(0);
    expect(highest(held.map((s) => s.chamberTargetC as number))).toBeLessThan(8);
  });

  it('settles at least as well as with a chamber heater', () => {
    const v = settledRms(vessel.samples);
    expect(v).toBeLessThanOrEqual(settledRms(chamber.samples));
    expect(v).toBeLessThan(0.045);
  });

  it('is never overridden, never trips, and never puts the heat into the air', () => {
    expectCleanPath(vessel);
    expect(vessel.samples.some(airHeated)).toBe(false);
  });
});

describe('a vessel heater and the heat-into-air rule', () => {
  const stepUp = {
    mode: 'profile' as const,
    profile: [
      { type: 'hold' as const, targetC: 18, durationH: 5 },
      { type: 'hold' as const, targetC: 21, durationH: 30 },
    ],
  };

  it.each([
    [2, 50, false],
    [2, 200, true],
    [8, 100, true],
  ])(
    'an attached wrap runs long without tripping: room %i °C, %i W, cooling %s, a step up',
    (roomC, heaterW, cool) => {
      const run = runRig({
        control: stepUp,
        board: { heaterMount: 'vessel', heaterW, startBeerC: 18, fermentationDelayH: 48 },
        outputs: { cool: { enabled: cool } },
        roomC: daily(roomC - 3, roomC + 3),
        hours: 20,
      });
      expectCleanPath(run);
      let runS = 0;
      let longest = 0;
      for (const s of run.samples) {
        runS = s.applied.heat ? runS + 1 : 0;
        longest = Math.max(longest, runS);
      }
      // The step up is taken at full power, longer than the guard's 30-minute no-effect window.
      expect(longest).toBeGreaterThan(1800);
      const late = run.samples.filter((s) => s.tS > 15 * H).map((s) => s.beerC);
      expect(Math.abs(mean(late) - 21)).toBeLessThan(0.1);
    },
  );

  it('a wrap that came off is still caught once the step up makes it heat', () => {
    const run = runRig({
      control: stepUp,
      board: {
        heaterMount: 'vessel',
        startBeerC: 18,
        fermentationDelayH: 48,
        faults: [{ afterH: 4, fault: { kind: 'heater-detached' } }],
      },
      outputs: { cool: { enabled: false } },
      roomC: 8,
      hours: 8,
    });
    expect(run.incidents).toContain('COBREW_ERR_HEATER_NO_EFFECT');
  });
});
