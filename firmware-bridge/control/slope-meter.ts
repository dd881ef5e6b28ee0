// Rate of change of a quantised, noisy probe: a short low-pass, then the difference over a span.
export class SlopeMeter {
  #filtered = Number.NaN;
  #lastAt = Number.NaN;
  readonly #history: Float64Array;
  #head = 0;
  #filled = 0;
  #nextSampleAt = Number.NaN;

  /**
   * @param filterS low-pass time constant, seconds
   * @param spanS the slope is taken between now and this long ago (sampled every spanS/5)
   */
  constructor(
    readonly filterS: number,
    readonly spanS: number,
  ) {
    this.#history = new Float64Array(6);
  }

  /** Feed one reading; returns °C per second (0 until a full span has been seen). */
  update(value: number, now: number): number {
    const dt = Number.isNaN(this.#lastAt) ? 0 : (now - this.#lastAt) / 1000;
    this.#lastAt = now;
    this.#filtered = Number.isNaN(this.#filtered)
      ? value
      : this.#filtered + (value - this.#filtered) * Math.min(1, dt / this.filterS);
    const stepMs = (this.spanS * 1000) / (this.#history.length - 1);
    if (Number.isNaN(this.#nextSampleAt) || now >= this.#nextSampleAt) {
      this.#history[this.#head] = this.#filtered;
      this.#head = (this.#head + 1) % this.#history.length;
      this.#filled = Math.min(this.#filled + 1, this.#history.length);
      this.#nextSampleAt = (Number.isNaN(this.#nextSampleAt) ? now : this.#nextSampleAt) + stepMs;
    }
    if (this.#filled < this.#history.length) return 0;
    // The oldest sample sits where the next one will be written.
    const oldest = this.#history[this.#head] as number;
    return (this.#filtered - oldest) / this.spanS;
  }
}
