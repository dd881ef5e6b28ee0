// After a board reset the driver must not put back what the guard wanted before it: the guard's timing
// believes a compressor that the reset just stopped is still running, and would restart it at once. So
// every output stays off until the guard writes all-off: it has been told of the reset (forceSafe), and
// what it writes after that is a fresh decision with its minimum off-times counted from the reset.
import type { Outputs } from '../types.js';

const OFF: Readonly<Outputs> = Object.freeze({ heat: false, cool: false });

export class ResetHold {
  #held = false;

  get held(): boolean {
    return this.#held;
  }

  /** The board reset: hold everything off from now. */
  hold(): void {
    this.#held = true;
  }

  /** What may go to the board for the guard's write `o`. */
  pass(o: Outputs): Outputs {
    if (!o.heat && !o.cool) this.#held = false;
    return this.#held ? { ...OFF } : { heat: o.heat, cool: o.cool };
  }
}
