// An output that runs without effect: once per on-period, at the window mark, the temperature it drives
// must have moved the expected way by minDeltaC from its value at switch-on. A run that starts at the
// limit of what the output can reach (full duty, restarted after a forced rest) cannot move it further,
// yet works: it passes while it holds its temperature at least heldMarginC beyond the room, no nearer
// the room than the other probe (nothing else can hold it there), and has not slid back by minDeltaC/2.

export interface NoEffectFinding {
  fromC: number;
  toC: number;
  /** When the judged span began: the switch-on, or the first trusted reading after it. */
  fromAt: number;
  afterMs: number;
}

export class RunawayWatch {
  #armed = false;
  #fromC = Number.NaN;
  #fromAt = 0;

  /** `direction`: −1 when the output should lower its temperature, +1 when it should raise it. */
  constructor(
    readonly direction: -1 | 1,
    readonly windowMs: number,
    readonly minDeltaC: number,
    readonly heldMarginC: number,
  ) {}

  /** The output switched on; `value` NaN when untrusted (then the first trusted value is the start). */
  start(value: number, now: number): void {
    this.#armed = true;
    this.#fromC = value;
    this.#fromAt = now;
  }

  stop(): void {
    this.#armed = false;
  }

  /**
   * Call while the output runs with the watched temperature, the other probe and the room (NaN when
   * untrusted). Judges once, at the first trusted reading from the window mark on.
   */
  observe(value: number, other: number, room: number, now: number): NoEffectFinding | null {
    if (!this.#armed || Number.isNaN(value)) return null;
    if (Number.isNaN(this.#fromC)) {
      this.start(value, now);
      return null;
    }
    if (now - this.#fromAt < this.windowMs) return null;
    this.#armed = false;
    const moved = this.direction * (value - this.#fromC);
    if (moved >= this.minDeltaC) return null;
    const d = this.direction;
    const held =
      d * (value - room) >= this.heldMarginC && d * (value - other) >= 0 && moved > -this.minDeltaC / 2;
    if (held) return null;
    return { fromC: this.#fromC, toC: value, fromAt: this.#fromAt, afterMs: now - this.#fromAt };
  }
}
