// A welded relay: the output is commanded off, yet the chamber keeps moving as if it ran. Judged on
// chamber readings taken every half window while the output is off: it must have moved the output's way
// by at least minDeltaC/2 in each of the last two halves (steadily, so the few minutes an evaporator
// keeps cooling after the compressor stops do not count) and sit at least marginC beyond both the room
// and the beer. Nothing but that output can hold the chamber air colder (or warmer) than everything
// around it: fermentation heat and a closing door only bring it towards the beer or the room.

export interface RelayStuckFinding {
  fromC: number;
  toC: number;
  overMs: number;
  /** The nearer of room and beer temperature, which the chamber has gone beyond. */
  referenceC: number;
}

export class RelayStuckWatch {
  /** The latest judgement found the output stuck on. */
  positive = false;
  #m0 = Number.NaN;
  #m1 = Number.NaN;
  #marks = 0;
  #nextAt = 0;

  /** `direction`: −1 for cooling (chamber falls), +1 for heating. */
  constructor(
    readonly direction: -1 | 1,
    readonly halfMs: number,
    readonly minDeltaC: number,
    readonly marginC: number,
  ) {}

  /** Start a fresh series (the output switched off, or a person cleared the alarm). */
  restart(now: number): void {
    this.#marks = 0;
    this.#nextAt = now;
    this.positive = false;
  }

  /** Call on every check while the output is commanded off; readings are NaN when untrusted. */
  observe(chamber: number, beer: number, room: number, now: number): RelayStuckFinding | null {
    if (now < this.#nextAt) return null;
    if (Number.isNaN(chamber)) {
      this.#marks = 0;
      return null;
    }
    this.#nextAt = now + this.halfMs;
    if (this.#marks < 2) {
      if (this.#marks === 0) this.#m0 = chamber;
      else this.#m1 = chamber;
      this.#marks++;
      return null;
    }
    const half = this.minDeltaC / 2;
    const from = this.#m0;
    const steady =
      this.direction * (this.#m1 - from) >= half && this.direction * (chamber - this.#m1) >= half;
    const ref = this.#reference(beer, room);
    this.positive = steady && this.#beyond(chamber, ref);
    this.#m0 = this.#m1;
    this.#m1 = chamber;
    return this.positive ? { fromC: from, toC: chamber, overMs: 2 * this.halfMs, referenceC: ref } : null;
  }

  /** For a clear: still judged stuck, or the chamber is still held beyond room and beer (or unreadable). */
  persists(chamber: number, beer: number, room: number): boolean {
    return this.positive || Number.isNaN(chamber) || this.#beyond(chamber, this.#reference(beer, room));
  }

  /** The nearer of the two to what the output drives towards; NaN when neither is known. */
  #reference(beer: number, room: number): number {
    if (Number.isNaN(beer)) return room;
    if (Number.isNaN(room)) return beer;
    return this.direction < 0 ? Math.min(beer, room) : Math.max(beer, room);
  }

  #beyond(chamber: number, ref: number): boolean {
    return !Number.isNaN(ref) && this.direction * (chamber - ref) >= this.marginC;
  }
}
