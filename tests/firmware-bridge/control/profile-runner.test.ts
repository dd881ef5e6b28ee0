import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { ProfileRunner, type ProfileStep } from '../../../firmware-bridge/control/profile-runner.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { SimIspindel } from '../../../firmware-bridge/sim/ispindel.js';
import { SimBoard } from '../../../firmware-bridge/sim/sim-board.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const steps: ProfileStep[] = [
  { type: 'hold', targetC: 10, durationH: 48 },
  { type: 'ramp', targetC: 16, durationH: 24 },
  { type: 'hold', targetC: 16, durationH: 24 },
  { type: 'hold', targetC: 2, durationH: 12 },
];

describe('ProfileRunner on time', () => {
  it('holds, ramps linearly from the previous target with its slope, steps, and keeps the last target', () => {
    const r = new ProfileRunner(steps, T0, 20);
    expect(r.at(T0)).toMatchObject({ beerC: 10, slopeCPerS: 0, stepIndex: 0 });
    expect(r.at(T0 + 47 * H).stepRemainingS).toBe(3600);
    const mid = r.at(T0 + 60 * H);
    expect(mid.stepIndex).toBe(1);
    expect(mid.beerC).toBeCloseTo(13, 9);
    expect(mid.slopeCPerS).toBeCloseTo(6 / (24 * 3600), 12);
    expect(r.at(T0 + 96 * H - 1000).beerC).toBe(16);
    expect(r.at(T0 + 96 * H).beerC).toBe(2);
    expect(r.at(T0 + 1000 * H)).toMatchObject({ beerC: 2, done: true, slopeCPerS: 0 });
  });

  it("looks ahead along the ramps only: a hold's jump, a held step and the profile's end do not move", () => {
    const r = new ProfileRunner(steps, T0, 20);
    const perH = 6 / 24;
    r.at(T0 + 47 * H);
    expect(r.ahead(T0 + 47 * H, 1800)).toEqual({ moveC: 0, slopeCPerS: 0 });
    const intoRamp = r.ahead(T0 + 47 * H, 2 * 3600);
    expect(intoRamp.moveC).toBeCloseTo(perH, 9);
    expect(intoRamp.slopeCPerS).toBeCloseTo(perH / 3600, 12);
    r.at(T0 + 71.5 * H);
    const outOfRamp = r.ahead(T0 + 71.5 * H, 3600);
    expect(outOfRamp.moveC).toBeCloseTo(perH / 2, 9);
    expect(outOfRamp.slopeCPerS).toBe(0);
    r.at(T0 + 95 * H);
    expect(r.ahead(T0 + 95 * H, 2 * 3600)).toEqual({ moveC: 0, slopeCPerS: 0 });
    r.at(T0 + 107 * H);
    expect(r.ahead(T0 + 107 * H, 2 * 3600)).toEqual({ moveC: 0, slopeCPerS: 0 });
    const held = new ProfileRunner(steps, T0, 20);
    held.at(T0 + 60 * H);
    expect(held.ahead(T0 + 60 * H, 3600).moveC).toBeCloseTo(perH, 9);
    held.hold(T0 + 60 * H);
    expect(held.ahead(T0 + 60 * H, 3600)).toEqual({ moveC: 0, slopeCPerS: 0 });
  });

  it('starts a leading ramp from the beer temperature when the profile began', () => {
    const r = new ProfileRunner([{ type: 'ramp', targetC: 18, durationH: 10 }], T0, 22);
    expect(r.at(T0 + 5 * H).beerC).toBeCloseTo(20, 9);
  });

  it('treats an empty profile as done at the start temperature', () => {
    expect(new ProfileRunner([], T0, 19).at(T0)).toMatchObject({ beerC: 19, done: true });
  });
});

describe('ProfileRunner on gravity', () => {
  const gravitySteps: ProfileStep[] = [
    { type: 'hold', targetC: 18, durationH: 240, until: { minH: 0, gravityAtMost: 1.02, stablePoints: 1 } },
    { type: 'hold', targetC: 21, durationH: 240, until: { minH: 0, stableH: 24, stablePoints: 1 } },
    { type: 'hold', targetC: 2, durationH: 48 },
  ];

  it('ends a step once gravity reaches its value, long before its time', () => {
    const r = new ProfileRunner(gravitySteps, T0, 18);
    expect(r.at(T0 + 30 * H, { gravity: 1.035, at: T0 + 30 * H }).stepIndex).toBe(0);
    // Never on a single reading: three, over at least half an hour.
    expect(r.at(T0 + 50 * H, { gravity: 1.0195, at: T0 + 50 * H }).stepIndex).toBe(0);
    expect(r.at(T0 + 50.25 * H, { gravity: 1.0195, at: T0 + 50.25 * H }).stepIndex).toBe(0);
    const p = r.at(T0 + 50.5 * H, { gravity: 1.0195, at: T0 + 50.5 * H });
    expect(p).toMatchObject({ stepIndex: 1, beerC: 21 });
  });

  it('ends a step once gravity has stayed within its points for stableH, not while it falls', () => {
    const r = new ProfileRunner(gravitySteps, T0, 18);
    for (const h of [1, 1.25, 1.5]) r.at(T0 + h * H, { gravity: 1.019, at: T0 + h * H });
    let t = T0 + 1.5 * H;
    let g = 1.019;
    // Falling by 4 points a day for three days: never stable within 1 point over 24 h.
    for (; t < T0 + 73 * H; t += H, g -= 0.004 / 24) expect(r.at(t, { gravity: g, at: t }).stepIndex).toBe(1);
    // Then flat, scattered by ±0.4 points: stable once the window holds little of the fall.
    const flatFrom = t;
    let endedAfterH = Number.NaN;
    for (let i = 0; t <= flatFrom + 48 * H; t += H, i++) {
      if (r.at(t, { gravity: g + (i % 2 ? 0.0004 : -0.0004), at: t }).stepIndex === 2) {
        endedAfterH = (t - flatFrom) / H;
        break;
      }
    }
    expect(endedAfterH).toBeGreaterThanOrEqual(12);
    expect(endedAfterH).toBeLessThanOrEqual(30);
  });

  it('lets gravity end a step only after its minimum time', () => {
    const r = new ProfileRunner(
      [
        { type: 'hold', targetC: 18, durationH: 240, until: { minH: 72, stableH: 12, stablePoints: 1 } },
        { type: 'hold', targetC: 21, durationH: 48 },
      ],
      T0,
      18,
    );
    for (let t = T0; t < T0 + 72 * H; t += H) expect(r.at(t, { gravity: 1.05, at: t }).stepIndex).toBe(0);
    expect(r.at(T0 + 72 * H, { gravity: 1.05, at: T0 + 72 * H }).stepIndex).toBe(1);
  });

  it('does not count readings taken before the step began', () => {
    const r = new ProfileRunner(gravitySteps, T0, 18);
    r.at(T0, { gravity: 1.021, at: T0 });
    for (const h of [2, 2.5]) r.at(T0 + h * H, { gravity: 1.019, at: T0 + h * H });
    // Step 1 would be "stable" if step 0's readings counted.
    const p = r.at(T0 + 3 * H, { gravity: 1.019, at: T0 + 3 * H });
    expect(p.stepIndex).toBe(1);
    expect(r.at(T0 + 4 * H, null).stepIndex).toBe(1);
  });

  it('still ends the step on time without any gravity reading', () => {
    const r = new ProfileRunner(gravitySteps, T0, 18);
    expect(r.at(T0 + 241 * H).stepIndex).toBe(1);
  });

  it('continues from where a ramp had got to when gravity cuts it short', () => {
    const r = new ProfileRunner(
      [
        {
          type: 'ramp',
          targetC: 22,
          durationH: 20,
          until: { minH: 0, gravityAtMost: 1.01, stablePoints: 1 },
        },
        { type: 'ramp', targetC: 2, durationH: 10 },
      ],
      T0,
      18,
    );
    for (const h of [9, 9.5]) r.at(T0 + h * H, { gravity: 1.009, at: T0 + h * H });
    const p = r.at(T0 + 10 * H, { gravity: 1.009, at: T0 + 10 * H });
    expect(p.stepIndex).toBe(1);
    expect(p.beerC).toBeCloseTo(20, 6);
  });
});

describe('gravity steps on the simulator', () => {
  it('moves from fermentation to a diacetyl rest when a simulated iSpindel sees the yeast finish', () => {
    const clock = new ManualClock(T0);
    const cfg = checkFermenterConfig({
      id: 'ale',
      name: 'Ale',
      board: { type: 'sim', startBeerC: 18, originalGravity: 1.05, finalGravity: 1.012 },
    });
    const board = new SimBoard(cfg.board, clock);
    const ispindel = new SimIspindel(board, { intervalS: 900 });
    const r = new ProfileRunner(
      [
        { type: 'hold', targetC: 18, durationH: 21 * 24, until: { minH: 48, stableH: 24, stablePoints: 1 } },
        { type: 'hold', targetC: 21, durationH: 48 },
      ],
      T0,
      18,
    );
    let last = null;
    let endedAt = Number.NaN;
    let gravityThen = Number.NaN;
    while (clock.now() < T0 + 21 * 24 * H) {
      clock.advance(900_000);
      last = ispindel.poll(clock.now()) ?? last;
      if (r.at(clock.now(), last).stepIndex === 1) {
        endedAt = clock.now();
        gravityThen = board.truth().gravity;
        break;
      }
    }
    const days = (endedAt - T0) / (24 * H);
    // The yeast peaks around day 2.5 and is done within about a week; stable for a day after that.
    expect(days).toBeGreaterThan(4);
    expect(days).toBeLessThan(12);
    expect(gravityThen).toBeLessThan(1.0135);
  });
});
