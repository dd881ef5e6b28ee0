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

/** Wall time, optionally accelerated: simulated time runs `speed` times faster from the moment of creation. */
export class ScaledClock implements Clock {
  /** `origin`: the wall time simulated time starts from; another thread rebuilds the same clock from it. */
  constructor(
    readonly speed = 1,
    readonly origin = Date.now(),
  ) {
    if (!(speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`);
  }
  now(): number {
    return this.origin + (Date.now() - this.origin) * this.speed;
  }
}
