// When each output last switched, as the guard actually applied it. Controllers plan with this so the
// guard never has to override them.
import type { OutputName, Outputs, TimingLimits } from '../types.js';

export class OutputTimer {
  readonly onSince = { heat: Number.NEGATIVE_INFINITY, cool: Number.NEGATIVE_INFINITY };
  readonly offSince = { heat: Number.NEGATIVE_INFINITY, cool: Number.NEGATIVE_INFINITY };
  readonly #last: Outputs = { heat: false, cool: false };
  /** The guard counts min-off from start-up too (a compressor may have stopped just before a power blip). */
  #startedAt = Number.NaN;

  constructor(readonly limits: TimingLimits) {}

  observe(applied: Outputs, now: number): void {
    if (Number.isNaN(this.#startedAt)) this.#startedAt = now;
    for (const o of ['heat', 'cool'] as const) {
      if (applied[o] !== this.#last[o]) {
        if (applied[o]) this.onSince[o] = now;
        else this.offSince[o] = now;
        this.#last[o] = applied[o];
      }
    }
  }

  isOn(o: OutputName): boolean {
    return this.#last[o];
  }

  onForS(o: OutputName, now: number): number {
    return this.#last[o] ? (now - this.onSince[o]) / 1000 : 0;
  }

  /** True when `o` may switch on now: its own min-off is over and the other output has been off long enough. */
  mayStart(o: OutputName, now: number): boolean {
    const other: OutputName = o === 'heat' ? 'cool' : 'heat';
    if (this.#last[o] || this.#last[other]) return false;
    return (
      (now - Math.max(this.offSince[o], this.#startedAt)) / 1000 >= this.limits[o].minOffS &&
      (now - this.offSince[other]) / 1000 >= this.limits.interlockDeadS
    );
  }

  /**
   * Seconds until `o` may switch on, as far as timing goes (0: now); null while either output is on, when
   * it depends on when that one stops.
   */
  startInS(o: OutputName, now: number): number | null {
    const other: OutputName = o === 'heat' ? 'cool' : 'heat';
    if (this.#last[o] || this.#last[other]) return null;
    const ownS = this.limits[o].minOffS - (now - Math.max(this.offSince[o], this.#startedAt)) / 1000;
    const interlockS = this.limits.interlockDeadS - (now - this.offSince[other]) / 1000;
    return Math.max(0, ownS, interlockS);
  }

  /** True when `o` may switch off now without breaking its min-on. */
  mayStop(o: OutputName, now: number): boolean {
    return this.onForS(o, now) >= this.limits[o].minOnS;
  }

  mustStop(o: OutputName, now: number): boolean {
    return this.onForS(o, now) >= this.limits[o].maxOnS;
  }
}
