// When a fermenter's state goes out on MQTT. The control loop may tick far faster than anyone needs to hear
// (a simulation at 60× ticks 60 times a wall second), so routine states are sent at most once per period and
// the latest one always goes out at the end of the period. A change a person or an automation reacts to
// (outputs, mode, safety) is sent at once.
import type { FermenterState } from '../firmware-bridge/types.js';

function significant(s: FermenterState): string {
  return JSON.stringify([
    s.outputs.heat,
    s.outputs.cool,
    s.mode,
    s.profileStep ?? null,
    s.profile?.held ?? null,
    s.safety.status,
    s.safety.trips,
    s.safety.alarms,
  ]);
}

export class StateThrottle {
  #last: { key: string; at: number } | null = null;
  #pending: FermenterState | null = null;
  #pendingAt = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly periodMs: number,
    private readonly send: (s: FermenterState) => void,
    private readonly now: () => number = Date.now,
  ) {}

  offer(s: FermenterState): void {
    const key = significant(s);
    const t = this.now();
    if (this.#last === null || key !== this.#last.key || t - this.#last.at >= this.periodMs) {
      this.#emit(s, key, t);
      return;
    }
    this.#pending = s;
    this.#pendingAt = t;
    this.#timer ??= setTimeout(() => this.flush(), this.#last.at + this.periodMs - t);
  }

  /** Send this state now, whatever the period says (e.g. after a reconnect). */
  sendNow(s: FermenterState): void {
    this.#emit(s, significant(s), this.now());
  }

  /** Send the state held back for the end of the period, if any. */
  flush(): void {
    // The period counts from when the held state was offered, not sent: otherwise a control loop ticking
    // once a period would find every tick a little early and see each state held back by the same lag.
    if (this.#pending !== null) this.#emit(this.#pending, significant(this.#pending), this.#pendingAt);
  }

  #emit(s: FermenterState, key: string, t: number): void {
    this.#clear();
    this.#last = { key, at: t };
    this.send(s);
  }

  #clear(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
  }
}
