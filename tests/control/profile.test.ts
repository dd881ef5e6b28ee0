import { describe, expect, it } from 'vitest';
import { profileAt } from '../../firmware-bridge/control/profile.js';

const H = 3600;
const steps = [
  { type: 'hold' as const, targetC: 10, durationH: 48 },
  { type: 'ramp' as const, targetC: 16, durationH: 24 },
  { type: 'hold' as const, targetC: 16, durationH: 24 },
  { type: 'hold' as const, targetC: 2, durationH: 12 },
];

describe('profileAt', () => {
  it('holds the first step target from the start', () => {
    expect(profileAt(steps, 0, 20)).toMatchObject({ beerC: 10, slopeCPerS: 0, stepIndex: 0 });
    expect(profileAt(steps, 47 * H, 20).stepRemainingS).toBe(H);
  });

  it('ramps linearly from the previous target and reports the slope', () => {
    const mid = profileAt(steps, 60 * H, 20);
    expect(mid.stepIndex).toBe(1);
    expect(mid.beerC).toBeCloseTo(13, 9);
    expect(mid.slopeCPerS).toBeCloseTo(6 / (24 * H), 12);
  });

  it('steps instantly between holds', () => {
    expect(profileAt(steps, 96 * H - 1, 20).beerC).toBe(16);
    expect(profileAt(steps, 96 * H, 20).beerC).toBe(2);
  });

  it('keeps the last target once done', () => {
    expect(profileAt(steps, 1000 * H, 20)).toMatchObject({ beerC: 2, done: true, slopeCPerS: 0 });
  });

  it('starts a leading ramp from the beer temperature when the profile began', () => {
    const p = profileAt([{ type: 'ramp', targetC: 18, durationH: 10 }], 5 * H, 22);
    expect(p.beerC).toBeCloseTo(20, 9);
  });

  it('treats an empty profile as done at the start temperature', () => {
    expect(profileAt([], 10, 19)).toMatchObject({ beerC: 19, done: true });
  });
});
