// Beer and chamber reading the same: a duplicated probe address, or the chamber probe lying in the beer.
// With nothing running, everything in the fridge converges to one temperature legitimately, so time only
// counts while an output is driving the chamber (the guard decides when that is): a driving output pulls
// the chamber air away from the beer within minutes. The count pauses otherwise and restarts once the two
// readings differ.
export class IdenticalWatch {
  /** Driving time with the two readings within tolerance, ms. */
  drivingMs = 0;
  /** Since when the two have read within tolerance without a break; NaN while they differ. */
  since = Number.NaN;

  constructor(
    readonly limitMs: number,
    readonly toleranceC: number,
  ) {}

  /** NaN readings (untrusted) pause the count. */
  observe(beer: number, chamber: number, driving: boolean, dtMs: number, now: number): boolean {
    if (Number.isNaN(beer) || Number.isNaN(chamber)) return false;
    if (Math.abs(beer - chamber) > this.toleranceC) {
      this.drivingMs = 0;
      this.since = Number.NaN;
      return false;
    }
    if (Number.isNaN(this.since)) this.since = now;
    if (driving) this.drivingMs += dtMs;
    return this.drivingMs >= this.limitMs;
  }

  reset(): void {
    this.drivingMs = 0;
    this.since = Number.NaN;
  }
}
