// Recursive least squares with exponential forgetting: one linear equation y = φᵀθ, updated sample by
// sample, old samples fading with the factor λ. The covariance is kept bounded: without excitation (a
// long hold with no output switching) forgetting would otherwise blow it up and the next sample would
// throw the estimate anywhere.
export class Rls {
  readonly theta: Float64Array;
  readonly #p: Float64Array;
  readonly #pk: Float64Array;
  #samples = 0;
  /** Exponentially weighted mean square of the one-step residual (before the update). */
  #residualSq = 0;

  constructor(
    readonly n: number,
    readonly lambda: number,
    initial: readonly number[],
    readonly p0: number,
    readonly maxTrace: number,
  ) {
    this.theta = Float64Array.from(initial);
    this.#p = new Float64Array(n * n);
    this.#pk = new Float64Array(n);
    for (let i = 0; i < n; i++) this.#p[i * n + i] = p0;
  }

  update(phi: ArrayLike<number>, y: number): void {
    const n = this.n;
    const p = this.#p;
    const pk = this.#pk;
    let denom = this.lambda;
    let predicted = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (p[i * n + j] as number) * (phi[j] as number);
      pk[i] = s;
      denom += (phi[i] as number) * s;
      predicted += (this.theta[i] as number) * (phi[i] as number);
    }
    const err = y - predicted;
    for (let i = 0; i < n; i++) this.theta[i] = (this.theta[i] as number) + ((pk[i] as number) * err) / denom;
    let trace = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = ((p[i * n + j] as number) - ((pk[i] as number) * (pk[j] as number)) / denom) / this.lambda;
        p[i * n + j] = v;
      }
      trace += p[i * n + i] as number;
    }
    if (trace > this.maxTrace) {
      const k = this.maxTrace / trace;
      for (let i = 0; i < n * n; i++) p[i] = (p[i] as number) * k;
    }
    this.#samples++;
    const w = Math.max(1 - this.lambda, 1 / this.#samples);
    this.#residualSq += (err * err - this.#residualSq) * w;
  }

  get samples(): number {
    return this.#samples;
  }

  /** RMS of the recent one-step residuals. */
  get residual(): number {
    return Math.sqrt(this.#residualSq);
  }

  /** Standard deviation of parameter i: √(P_ii) scaled by the residual. */
  sd(i: number): number {
    return Math.sqrt(Math.max(0, this.#p[i * this.n + i] as number)) * this.residual;
  }
}
