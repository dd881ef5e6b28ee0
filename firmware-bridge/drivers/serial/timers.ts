// Timers for drivers, injectable so protocol timing (heartbeats, ack time-outs, back-off) is tested on a
// ManualClock without waiting.
import type { ManualClock } from '../../../common/clock.js';

/** Schedules `fn` after `ms` and returns the function that cancels it. */
export interface Timers {
  after(ms: number, fn: () => void): () => void;
}

export const systemTimers: Timers = {
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

interface Pending {
  due: number;
  order: number;
  fn: () => void;
}

/**
 * Timers on a ManualClock. `advance` moves the clock from one due timer to the next and, after each, lets
 * pending I/O (a mock serial port's promises and ticks) run through `settle` before the next one fires.
 */
export class ManualTimers implements Timers {
  readonly #pending = new Set<Pending>();
  #order = 0;

  constructor(
    readonly clock: ManualClock,
    readonly settle: () => Promise<void> = settleIo,
  ) {}

  after(ms: number, fn: () => void): () => void {
    const p: Pending = { due: this.clock.now() + Math.max(0, ms), order: this.#order++, fn };
    this.#pending.add(p);
    return () => {
      this.#pending.delete(p);
    };
  }

  /** Runs every timer due within `ms`, in time order, and leaves the clock `ms` later. */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    await this.settle();
    for (;;) {
      const next = this.#next();
      if (next === undefined || next.due > end) break;
      this.#pending.delete(next);
      if (next.due > this.clock.now()) this.clock.set(next.due);
      next.fn();
      await this.settle();
    }
    this.clock.set(end);
    await this.settle();
  }

  get size(): number {
    return this.#pending.size;
  }

  #next(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.#pending) {
      if (best === undefined || p.due < best.due || (p.due === best.due && p.order < best.order)) best = p;
    }
    return best;
  }
}

/** Lets promise chains and `process.nextTick` callbacks queued by stream I/O run to completion. */
export async function settleIo(rounds = 12): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}
