// A person's operations on a running profile, on the pure runner: start at a step, skip, hold and resume,
// extend, replace the steps still to come, and the view of progress and time left.
import { describe, expect, it } from 'vitest';
import { ProfileRunner, type ProfileStep } from '../../../firmware-bridge/control/profile-runner.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);
const steps: ProfileStep[] = [
  { type: 'hold', targetC: 10, durationH: 48 },
  { type: 'ramp', targetC: 16, durationH: 24 },
  { type: 'hold', targetC: 16, durationH: 24 },
  { type: 'hold', targetC: 2, durationH: 12 },
];

describe('operations on a running profile', () => {
  it('starts at a given step, a ramp there starting from the beer', () => {
    const r = new ProfileRunner(steps, T0, 12, 1);
    expect(r.at(T0)).toMatchObject({ stepIndex: 1, beerC: 12, done: false });
    expect(r.at(T0 + 12 * H).beerC).toBeCloseTo(14, 9);
    expect(r.at(T0 + 24 * H)).toMatchObject({ stepIndex: 2, beerC: 16 });
  });

  it('skips the running step: the next starts now, from where the target had got to', () => {
    const r = new ProfileRunner(steps, T0, 10);
    r.skipStep(T0 + 5 * H);
    expect(r.at(T0 + 5 * H)).toMatchObject({ stepIndex: 1, beerC: 10 });
    // Halfway through the ramp, skipped: the hold at 16 follows, for its full 24 h.
    r.skipStep(T0 + 17 * H);
    expect(r.at(T0 + 17 * H)).toMatchObject({ stepIndex: 2, beerC: 16 });
    expect(r.at(T0 + 17 * H + 24 * H - 1000).stepIndex).toBe(2);
    expect(r.at(T0 + 41 * H).stepIndex).toBe(3);
  });

  it('holds a step: its clock stops, a ramp stands still, and it goes on after release where it was', () => {
    const r = new ProfileRunner(steps, T0, 10);
    const mid = T0 + 60 * H; // halfway through the ramp, at 13 °C
    r.hold(mid);
    const held = r.at(mid + 100 * H);
    expect(held).toMatchObject({ stepIndex: 1, held: true, slopeCPerS: 0 });
    expect(held.beerC).toBeCloseTo(13, 9);
    expect(held.stepRemainingS).toBe(12 * 3600);
    r.resume(mid + 100 * H);
    const after = r.at(mid + 106 * H);
    expect(after).toMatchObject({ stepIndex: 1, held: false });
    expect(after.beerC).toBeCloseTo(14.5, 9);
    expect(r.at(mid + 112 * H)).toMatchObject({ stepIndex: 2, beerC: 16 });
  });

  it('extends a step; an extended ramp goes on from its target, without a jump, only slower', () => {
    const r = new ProfileRunner(steps, T0, 10);
    r.extend(10 * H, T0 + 1 * H);
    expect(r.at(T0 + 57 * H).stepIndex).toBe(0);
    expect(r.at(T0 + 58 * H)).toMatchObject({ stepIndex: 1, beerC: 10 });
    const mid = T0 + 70 * H; // 12 h into the ramp: 13 °C, 12 h to go
    expect(r.at(mid).beerC).toBeCloseTo(13, 9);
    r.extend(12 * H, mid);
    expect(r.at(mid).beerC).toBeCloseTo(13, 9);
    expect(r.at(mid + 12 * H).beerC).toBeCloseTo(14.5, 9);
    expect(r.at(mid + 24 * H)).toMatchObject({ stepIndex: 2, beerC: 16 });
  });

  it('replaces the steps still to come; the running step goes on as it was', () => {
    const r = new ProfileRunner(steps, T0, 10);
    r.replaceNext([{ type: 'hold', targetC: 20, durationH: 6 }], T0 + 10 * H);
    expect(r.steps).toHaveLength(2);
    expect(r.at(T0 + 47 * H)).toMatchObject({ stepIndex: 0, beerC: 10 });
    expect(r.at(T0 + 48 * H)).toMatchObject({ stepIndex: 1, beerC: 20 });
    expect(r.at(T0 + 54 * H).done).toBe(true);
  });

  it('shows progress and time left, counting extensions and a hold', () => {
    const r = new ProfileRunner(steps, T0, 10);
    const now = T0 + 12 * H;
    expect(r.view(now)).toMatchObject({
      step: 0,
      steps: 4,
      held: false,
      stepElapsedS: 12 * 3600,
      stepRemainingS: 36 * 3600,
      remainingS: (36 + 24 + 24 + 12) * 3600,
      endsAt: now + 96 * H,
      current: { type: 'hold', targetC: 10, durationH: 48 },
      next: steps.slice(1),
    });
    r.extend(2 * H, now);
    r.hold(now);
    const later = now + 5 * H;
    expect(r.view(later)).toMatchObject({
      held: true,
      stepElapsedS: 12 * 3600,
      stepRemainingS: 38 * 3600,
      current: { durationH: 50 },
      endsAt: later + 98 * H,
    });
    expect(new ProfileRunner(steps, T0, 10).view(T0 + 200 * H)).toBeNull();
  });

  it('carries holds, extensions and an extended ramp through stored progress', () => {
    const r = new ProfileRunner(steps, T0, 10);
    const mid = T0 + 60 * H;
    r.extend(12 * H, mid);
    r.hold(mid + H);
    const again = ProfileRunner.resume(steps, JSON.parse(JSON.stringify(r.progress())));
    expect(again.at(mid + 50 * H)).toMatchObject({ stepIndex: 1, held: true });
    again.resume(mid + 50 * H);
    const p = again.at(mid + 50 * H);
    expect(p.beerC).toBeCloseTo(r.at(mid + H).beerC, 9);
    expect(p.stepRemainingS).toBe(23 * 3600);
  });

  it('does nothing once the profile is done', () => {
    const r = new ProfileRunner(steps, T0, 10);
    const end = T0 + 200 * H;
    r.skipStep(end);
    r.hold(end);
    r.extend(H, end);
    r.replaceNext(steps, end);
    expect(r.at(end)).toMatchObject({ done: true, held: false, beerC: 2 });
    expect(r.steps).toHaveLength(4);
  });
});
