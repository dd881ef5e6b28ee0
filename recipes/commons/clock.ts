// The commons takes its time from an injected clock (common/clock.ts's ManualClock fits), so that
// tests and imports are deterministic.
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
