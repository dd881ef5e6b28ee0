// An ATmega328P whose brown-out detector trips below 4.3 V keeps running on a 5 V supply sagging to 2.7 V
// (a stock Uno's fuse), where its flash reads and RAM are no longer dependable: a relay or compressor
// starting on a weak USB port can then corrupt the firmware's state instead of resetting the board.
import type { BoardIdentity } from '../drivers/driver.js';

export const BROWN_OUT_MIN_MV = 4300;

/** The warning for a board whose brown-out level is below 4.3 V; null when fine or not reported. */
export function brownOutWarning(identity: BoardIdentity | null): string | null {
  const mv = identity?.brownOutMv;
  if (mv === undefined || mv >= BROWN_OUT_MIN_MV) return null;
  const level = mv === 0 ? 'disabled' : `set to ${mv / 1000} V`;
  return (
    `brown-out detection is ${level}, below 4.3 V: a sagging 5 V supply can corrupt the board before it resets; ` +
    'set the extended fuse to 0xFC (docs/reference-board.md, Flashing)'
  );
}
