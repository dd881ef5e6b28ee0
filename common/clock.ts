// Every domain core takes its time from a Clock so two simulated weeks can run in seconds.

export interface Clock {
  now(): number;
}

/** A clock that only moves when told to: tests, benchmarks and accelerated simulation. */
export class ManualClock implements Clock {
  #t: number;
  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#t = startMs;
  }
  now(): number {
    return this.#t;
  }
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`clock can only move forward, got ${ms} ms`);
    this.#t += ms;
    return this.#t;
  }
  set(ms: number): void {
    if (ms < this.#t) throw new RangeError('clock can only move forward');
    this.#t = ms;
  }
}

/**
 * Wall time, optionally accelerated: simulated time runs `speed` times faster from its origin, by default the
 * moment of creation (a stored origin lets a simulation carry on through restarts).
 */
export class ScaledClock implements Clock {
  /** Where simulated time starts; another thread (the history worker) rebuilds the same clock from it. */
  readonly origin: { realMs: number; simMs: number };
  constructor(
    readonly speed = 1,
    origin?: { realMs: number; simMs: number },
  ) {
    if (!(speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`);
    const realMs = origin?.realMs ?? Date.now();
    this.origin = { realMs, simMs: origin?.simMs ?? realMs };
  }
  now(): number {
    return this.origin.simMs + (Date.now() - this.origin.realMs) * this.speed;
  }
}

/** The wall clock, for the adapters that run for real. */
export const systemClock: Clock = { now: () => Date.now() };
