// When a live beer probe must change. The outputs move the chamber air, and only a change in the chamber
// moves the beer: while a controller holds the beer steady (against fermentation heat or a warm room) the
// chamber sits at a steady offset and the beer reading may not change for hours. But once the chamber,
// smoothed over ten minutes so the on/off ripple cancels, has moved more than marginC from where it was
// when the beer reading last changed, the beer is being pulled and must follow: a controller only moves
// the chamber that far when the beer reading disagrees with its target for a long time.

/** Smoothing of the chamber reading, ms: longer than a typical compressor cycle. */
const SMOOTHING_MS = 10 * 60_000;

export class BeerPull {
  /** The smoothed chamber reading; NaN until the chamber reads. */
  chamberC = Number.NaN;
  #fromC = Number.NaN;

  constructor(readonly marginC: number) {}

  /** Call every check with trusted readings (NaN when untrusted); true while the beer is being pulled. */
  observe(chamber: number, beerChanged: boolean, dtMs: number): boolean {
    if (!Number.isNaN(chamber)) {
      this.chamberC = Number.isNaN(this.chamberC)
        ? chamber
        : this.chamberC + (chamber - this.chamberC) * Math.min(1, dtMs / SMOOTHING_MS);
    }
    if (beerChanged || Number.isNaN(this.#fromC)) this.#fromC = this.chamberC;
    return Math.abs(this.chamberC - this.#fromC) > this.marginC;
  }
}
