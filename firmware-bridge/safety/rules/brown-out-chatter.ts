// A relay coil pulling in on a weak supply can brown the board out; the board resets, its outputs drop, the
// host switches the relay back on, and the board browns out again: the contacts chatter under load, arcing
// each time, until they weld. One such reset can be a coincidence; a second within the window is the
// pattern, and only a person fixing the supply ends it.
import type { OutputName } from '../../types.js';

/** A reset this soon after an output switched on is taken as caused by that switch-on. */
export const BROWN_OUT_AFTER_SWITCH_MS = 5000;
/** Resets counted together. */
export const BROWN_OUT_WINDOW_MS = 30 * 60_000;
/** This many in the window latch a trip. */
export const BROWN_OUT_RESETS = 2;

/** Reset causes that may be a brown-out: the board said so, or could not say (its HELLO was lost). */
const MAYBE_BROWN_OUT = new Set(['brown-out', 'unknown']);

export interface BrownOutFinding {
  /** The output whose switch-on preceded the last reset. */
  output: OutputName;
  /** Each counted reset: when, how long after a switch-on, and its cause as reported. */
  resets: Array<{ at: number; afterSwitchMs: number; cause: string }>;
}

export class BrownOutChatterWatch {
  readonly #resets: BrownOutFinding['resets'] = [];

  /**
   * A board reset at `now`, with `lastOn`: the output switched on most recently and when (null when none is
   * on). Returns the finding once the pattern is seen.
   */
  observe(
    cause: string | undefined,
    lastOn: { output: OutputName; at: number } | null,
    now: number,
  ): BrownOutFinding | null {
    const c = cause ?? 'unknown';
    if (!MAYBE_BROWN_OUT.has(c) || lastOn === null) return null;
    const afterSwitchMs = now - lastOn.at;
    if (afterSwitchMs < 0 || afterSwitchMs > BROWN_OUT_AFTER_SWITCH_MS) return null;
    while (this.#resets.length > 0 && now - (this.#resets[0]?.at ?? now) > BROWN_OUT_WINDOW_MS) {
      this.#resets.shift();
    }
    this.#resets.push({ at: now, afterSwitchMs, cause: c });
    if (this.#resets.length < BROWN_OUT_RESETS) return null;
    return { output: lastOn.output, resets: this.#resets.splice(0) };
  }
}
