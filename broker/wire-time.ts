// Every timestamp that comes over the wire is judged against the receiving clock: a bridge whose clock runs
// ahead (or a hostile client) must not date a reading into the future, where it would outlive every other
// reading's retention, nor into a past no cobrew ever ran in. docs/mqtt.md states the tolerances.
import type { Clock } from '../common/clock.js';

/** How far ahead of the receiver's clock a sender's clock may run: NTP drift and a slow network. */
export const WIRE_FUTURE_TOLERANCE_MS = 5 * 60_000;
/**
 * The earliest time believed. A fixed floor, not one relative to the clock: a bridge away for a long while
 * may still publish its last retained state, and an old reading harms nothing (the store's retention is
 * measured by its own clock).
 */
export const WIRE_EARLIEST_MS = Date.UTC(2000, 0, 1);

export const systemClock: Clock = { now: () => Date.now() };

/** Why `at` cannot be believed at `now`, or null when it can. */
export function wireTimeProblem(at: number, now: number): string | null {
  if (!Number.isFinite(at)) return `its time ${at} is not a number`;
  if (at > now + WIRE_FUTURE_TOLERANCE_MS) {
    return `its time ${at} is ${Math.round((at - now) / 1000)} s ahead of this clock (${now}); at most ${WIRE_FUTURE_TOLERANCE_MS / 1000} s is tolerated`;
  }
  if (at < WIRE_EARLIEST_MS) return `its time ${at} is before 2000-01-01`;
  return null;
}
