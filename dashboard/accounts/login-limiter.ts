// Failed logins counted in a sliding window per client address and per user name. Only failures count, so a
// person who types the password right is never held up; the per-name count stops a guesser who spreads over
// many addresses, the per-address one a guesser who tries many names.
export interface WindowRule {
  max: number;
  windowMs: number;
}

export const LOGIN_LIMITS = {
  perAddress: { max: 10, windowMs: 15 * 60_000 },
  perName: { max: 5, windowMs: 15 * 60_000 },
} as const satisfies Record<string, WindowRule>;

/** Keys kept at most per window: an attacker cycling addresses cannot make the map grow without bound. */
const MAX_KEYS = 10_000;

export class FailureWindow {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly rule: WindowRule,
    private readonly now: () => number,
  ) {}

  /** 0 when the key may try again, otherwise how long until its oldest counted failure leaves the window. */
  retryAfterMs(key: string): number {
    const recent = this.#recent(key);
    if (recent.length < this.rule.max) return 0;
    return (recent[recent.length - this.rule.max] as number) + this.rule.windowMs - this.now();
  }

  fail(key: string): void {
    const recent = this.#recent(key);
    recent.push(this.now());
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    if (this.#failures.size > MAX_KEYS) this.#evict();
  }

  reset(key: string): void {
    this.#failures.delete(key);
  }

  /** Takes back the latest failure of the key: it turned out not to be one. */
  undo(key: string): void {
    const recent = this.#recent(key);
    recent.pop();
    if (recent.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, recent);
  }

  #recent(key: string): number[] {
    const since = this.now() - this.rule.windowMs;
    return (this.#failures.get(key) ?? []).filter((t) => t > since);
  }

  /** Drops keys with nothing left in the window, then the least recently failed ones. */
  #evict(): void {
    for (const key of this.#failures.keys()) if (this.#recent(key).length === 0) this.#failures.delete(key);
    for (const key of this.#failures.keys()) {
      if (this.#failures.size <= MAX_KEYS) break;
      this.#failures.delete(key);
    }
  }
}

export class LoginLimiter {
  readonly #byAddress: FailureWindow;
  readonly #byName: FailureWindow;

  constructor(
    limits: { perAddress: WindowRule; perName: WindowRule } = LOGIN_LIMITS,
    now: () => number = Date.now,
  ) {
    this.#byAddress = new FailureWindow(limits.perAddress, now);
    this.#byName = new FailureWindow(limits.perName, now);
  }

  /** 0 when this login may be checked, otherwise the milliseconds to wait. */
  blockedForMs(address: string, name: string): number {
    return Math.max(this.#byAddress.retryAfterMs(address), this.#byName.retryAfterMs(nameKey(name)));
  }

  /** Counts an attempt as failed; call it before checking the password, and `succeeded` if it was right. */
  failed(address: string, name: string): void {
    this.#byAddress.fail(address);
    this.#byName.fail(nameKey(name));
  }

  /**
   * The attempt just counted was right: it is taken back from the address, and the name's count is cleared.
   * The address keeps the failures other attempts built up.
   */
  succeeded(address: string, name: string): void {
    this.#byAddress.undo(address);
    this.#byName.reset(nameKey(name));
  }
}

// User names compare without case, as in the users table.
const nameKey = (name: string) => name.toLowerCase();
