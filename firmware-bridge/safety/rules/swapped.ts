// Swapped probes. While the compressor or a chamber heater runs, the chamber air moves much faster than
// the beer's thermal mass, and ends up beyond it (colder while cooling, warmer while heating). The probes
// are in each other's place when, within one run, the "beer" probe has moved at least minDeltaC the driven
// way, more than `ratio` times the furthest the "chamber" probe got, and reads beyond the "chamber" probe.
// The chamber's furthest movement is used, so a door opened late in a long run cannot fake it; the order
// of the two readings keeps a chamber already near what the output can reach (the beer still catching up)
// from looking swapped.

export interface SwapFinding {
  beerMovedC: number;
  chamberMovedC: number;
}

export class SwapWatch {
  #active = false;
  #beer0 = Number.NaN;
  #chamber0 = Number.NaN;
  #chamberBest = 0;

  /** `direction`: −1 for cooling, +1 for heating. */
  constructor(
    readonly direction: -1 | 1,
    readonly minDeltaC: number,
    readonly ratio: number,
  ) {}

  /** The output switched on; readings are NaN when untrusted (then the first trusted pair is the start). */
  start(beer: number, chamber: number): void {
    this.#active = true;
    this.#beer0 = beer;
    this.#chamber0 = chamber;
    this.#chamberBest = 0;
  }

  stop(): void {
    this.#active = false;
  }

  observe(beer: number, chamber: number): SwapFinding | null {
    if (!this.#active || Number.isNaN(beer) || Number.isNaN(chamber)) return null;
    if (Number.isNaN(this.#beer0) || Number.isNaN(this.#chamber0)) {
      this.start(beer, chamber);
      return null;
    }
    const chamberMoved = this.direction * (chamber - this.#chamber0);
    if (chamberMoved > this.#chamberBest) this.#chamberBest = chamberMoved;
    const beerMoved = this.direction * (beer - this.#beer0);
    const beyond = this.direction * (beer - chamber) > 0;
    if (beyond && beerMoved >= this.minDeltaC && beerMoved > this.ratio * this.#chamberBest) {
      this.#active = false;
      return { beerMovedC: beerMoved, chamberMovedC: this.#chamberBest };
    }
    return null;
  }
}
