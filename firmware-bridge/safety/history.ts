// The last readings, kept in fixed typed arrays so the every-second path allocates nothing; they are
// copied out only when an incident needs them as context.
import type { Incident } from '../types.js';

export type RecentReadings = Incident['context']['recent'];

export class ReadingHistory {
  readonly #at: Float64Array;
  readonly #beer: Float64Array;
  readonly #chamber: Float64Array;
  readonly #ambient: Float64Array;
  #next = 0;
  #size = 0;

  constructor(readonly capacity = 60) {
    this.#at = new Float64Array(capacity);
    this.#beer = new Float64Array(capacity);
    this.#chamber = new Float64Array(capacity);
    this.#ambient = new Float64Array(capacity);
  }

  /** NaN stands for "no reading". */
  push(at: number, beer: number, chamber: number, ambient: number): void {
    const i = this.#next;
    this.#at[i] = at;
    this.#beer[i] = beer;
    this.#chamber[i] = chamber;
    this.#ambient[i] = ambient;
    this.#next = (i + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
  }

  /** Oldest first. */
  snapshot(): RecentReadings {
    const out: RecentReadings = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let k = 0; k < this.#size; k++) {
      const i = (start + k) % this.capacity;
      out.push({
        at: this.#at[i] as number,
        beer: orNull(this.#beer[i] as number),
        chamber: orNull(this.#chamber[i] as number),
        ambient: orNull(this.#ambient[i] as number),
      });
    }
    return out;
  }
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
