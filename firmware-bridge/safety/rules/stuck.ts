// A stuck probe. A quantised DS18B20 in still beer can legitimately repeat one value for hours, so time
// only counts while an output that moves this probe is driving it (the guard decides when that is): then
// an unchanged value is evidence. The count is kept across idle spells and restarts at any change.
export class StuckWatch {
  /** The value the probe has repeated; NaN until it reads. */
  heldC = Number.NaN;
  /** Driving time with the value unchanged, ms. */
  drivenMs = 0;
  /** When the value last changed; NaN until it reads. */
  since = Number.NaN;

  constructor(readonly limitMs: number) {}

  /** `value`: NaN when untrusted; `driven`: something that moves this probe acted over the last `dtMs`. */
  observe(value: number, driven: boolean, dtMs: number, now: number): boolean {
    if (Number.isNaN(value)) return false;
    if (value !== this.heldC) {
      this.heldC = value;
      this.drivenMs = 0;
      this.since = now;
      return false;
    }
    if (driven) this.drivenMs += dtMs;
    return this.drivenMs >= this.limitMs;
  }

  reset(): void {
    this.heldC = Number.NaN;
    this.drivenMs = 0;
    this.since = Number.NaN;
  }
}
