import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StateThrottle } from '../../broker/state-throttle.js';
import type { FermenterState } from '../../firmware-bridge/types.js';
import { sampleState } from './helpers.js';

describe('state throttle', () => {
  let sent: FermenterState[];
  let throttle: StateThrottle;
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    sent = [];
    throttle = new StateThrottle(
      1000,
      (s) => sent.push(s),
      () => Date.now(),
    );
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // A fleet at 60× emits a tick every 1000/60 ms of wall time.
  const tick = (at: number, patch: Partial<FermenterState> = {}) => {
    vi.advanceTimersByTime(at - Date.now());
    throttle.offer(sampleState('ale', { at, ...patch }));
  };

  it('sends the first state at once, then at most one routine state per period, the latest last', () => {
    tick(0);
    for (let t = 17; t < 1000; t += 17) tick(t, { beerC: 18 + t / 1e4 });
    expect(sent.map((s) => s.at)).toEqual([0]);
    vi.advanceTimersByTime(1000 - Date.now());
    expect(sent.map((s) => s.at)).toEqual([0, 986]);
    expect(sent[1]?.beerC).toBeCloseTo(18.0986);
  });

  it('sends each state of a loop ticking once a period at once, even after one was held back', () => {
    // A state sent out of turn (a reconnect) puts the next routine tick inside the period: it waits.
    tick(0);
    tick(600);
    throttle.sendNow(sampleState('ale', { at: 600 }));
    tick(1300);
    vi.advanceTimersByTime(1600 - Date.now());
    expect(sent.map((s) => s.at)).toEqual([0, 600, 1300]);
    // The next ticks, a period apart, are not held back by that lag again.
    for (const at of [2300, 3300, 4300]) {
      tick(at);
      expect(sent.at(-1)?.at).toBe(at);
    }
  });

  it('sends a change of outputs, mode or safety without waiting', () => {
    tick(0);
    tick(100, { outputs: { heat: false, cool: false } });
    tick(200, { mode: 'chamber', outputs: { heat: false, cool: false } });
    tick(300, {
      mode: 'chamber',
      outputs: { heat: false, cool: false },
      safety: { status: 'tripped', trips: ['COBREW_ERR_SENSOR_STALE'], alarms: [] },
    });
    tick(400, {
      mode: 'chamber',
      outputs: { heat: false, cool: false },
      safety: { status: 'tripped', trips: ['COBREW_ERR_SENSOR_STALE', 'COBREW_ERR_OVER_TEMP'], alarms: [] },
    });
    expect(sent.map((s) => s.at)).toEqual([0, 100, 200, 300, 400]);
  });

  it('sends a new profile step without waiting, so the chart marks it where it happened', () => {
    tick(0, { mode: 'profile', profileStep: 0 });
    tick(100, { mode: 'profile', profileStep: 0 });
    tick(200, { mode: 'profile', profileStep: 1 });
    expect(sent.map((s) => [s.at, s.profileStep])).toEqual([
      [0, 0],
      [200, 1],
    ]);
  });

  it('drops a held-back state that a change overtook, and keeps quiet when nothing is held', () => {
    tick(0);
    tick(500);
    tick(600, { outputs: { heat: true, cool: false } });
    vi.advanceTimersByTime(5000);
    expect(sent.map((s) => s.at)).toEqual([0, 600]);
  });

  it('flush sends what is held back at once', () => {
    tick(0);
    tick(300);
    throttle.flush();
    expect(sent.map((s) => s.at)).toEqual([0, 300]);
    vi.advanceTimersByTime(5000);
    expect(sent).toHaveLength(2);
  });
});
