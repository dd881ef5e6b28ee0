// A simulated iSpindel floating in the simulated beer: it reports the yeast curve's gravity every
// interval, with the scatter of a real hydrometer's tilt-to-gravity formula.
import type { SimBoard } from './sim-board.js';

export interface SimIspindelOptions {
  intervalS?: number;
  /** Standard deviation of the reported gravity. */
  noise?: number;
  seed?: number;
}

export interface SimIspindelReport {
  gravity: number;
  temperatureC: number;
  at: number;
}

export class SimIspindel {
  readonly #intervalMs: number;
  readonly #noise: number;
  #state: number;
  #nextAt = Number.NaN;

  constructor(
    readonly board: SimBoard,
    opts: SimIspindelOptions = {},
  ) {
    this.#intervalMs = (opts.intervalS ?? 900) * 1000;
    this.#noise = opts.noise ?? 0.0003;
    this.#state = (opts.seed ?? 7) >>> 0 || 1;
  }

  /** The report due at `now`, if one is (at most one per interval), else null. */
  poll(now: number): SimIspindelReport | null {
    if (!Number.isNaN(this.#nextAt) && now < this.#nextAt) return null;
    this.#nextAt = (Number.isNaN(this.#nextAt) ? now : this.#nextAt) + this.#intervalMs;
    const t = this.board.truth();
    const g = t.gravity + this.#gauss() * this.#noise;
    return {
      gravity: Math.round(g * 10_000) / 10_000,
      temperatureC: Math.round(t.beerC * 100) / 100,
      at: now,
    };
  }

  /** Box–Muller on a xorshift stream: reproducible scatter. */
  #gauss(): number {
    const u1 = (this.#rand() + 1e-12) / (1 + 1e-12);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * this.#rand());
  }

  #rand(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state / 4294967296;
  }
}
