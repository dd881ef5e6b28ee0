// A vessel heat wrap that came off. It then warms the chamber air instead of the beer, and the warm air
// still warms the beer a little, so "the beer must rise" alone can pass, or trip long after. An attached
// wrap puts most of its heat into the beer: the beer rises, and the air, which the beer warms, stays
// between beer and room (its small share of the heat cannot hold it far above both). So a run is judged
// on the chamber: risen riseC or more since switch-on, more than `ratio` times the beer's rise, and
// (clear evidence) held marginC beyond both beer and room, which only heat put into the air can do. A
// chamber that was merely recovering from a compressor run rises as far, but only towards beer and room.

export interface AirHeatFinding {
  chamberFromC: number;
  chamberToC: number;
  beerFromC: number;
  beerToC: number;
  afterMs: number;
}

export class AirHeatWatch {
  #active = false;
  #beer0 = Number.NaN;
  #chamber0 = Number.NaN;
  #at = 0;

  constructor(
    readonly riseC: number,
    readonly ratio: number,
    readonly marginC: number,
  ) {}

  /** The heater switched on; readings are NaN when untrusted (then the first trusted pair is the start). */
  start(beer: number, chamber: number, now: number): void {
    this.#active = true;
    this.#beer0 = beer;
    this.#chamber0 = chamber;
    this.#at = now;
  }

  stop(): void {
    this.#active = false;
  }

  /** Clear evidence during the run; room NaN when unknown (then the beer alone is the reference). */
  observe(beer: number, chamber: number, room: number, now: number): AirHeatFinding | null {
    if (!this.#ready(beer, chamber, now)) return null;
    const ref = Number.isNaN(room) ? beer : Math.max(beer, room);
    if (chamber - ref < this.marginC || !this.#outran(beer, chamber)) return null;
    this.#active = false;
    return this.#finding(beer, chamber, now);
  }

  /**
   * At the window mark, after the beer failed to rise: did the air take the heat instead (risen as far
   * and now warmer than the beer)? Null when the no-effect has another likely cause.
   */
  judge(beer: number, chamber: number, now: number): AirHeatFinding | null {
    if (!this.#ready(beer, chamber, now) || chamber <= beer || !this.#outran(beer, chamber)) return null;
    return this.#finding(beer, chamber, now);
  }

  #ready(beer: number, chamber: number, now: number): boolean {
    if (!this.#active || Number.isNaN(beer) || Number.isNaN(chamber)) return false;
    if (Number.isNaN(this.#beer0) || Number.isNaN(this.#chamber0)) {
      this.start(beer, chamber, now);
      return false;
    }
    return true;
  }

  #outran(beer: number, chamber: number): boolean {
    const rose = chamber - this.#chamber0;
    return rose >= this.riseC && rose > this.ratio * Math.max(0, beer - this.#beer0);
  }

  #finding(beer: number, chamber: number, now: number): AirHeatFinding {
    return {
      chamberFromC: this.#chamber0,
      chamberToC: chamber,
      beerFromC: this.#beer0,
      beerToC: beer,
      afterMs: now - this.#at,
    };
  }
}
