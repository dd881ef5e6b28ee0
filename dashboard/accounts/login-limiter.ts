// Failed logins counted in sliding windows. Only failures count, so a person who types the password right is
// never held up. An address and name pair is refused after a few failures (one guesser at one name); an
// address after more, over any names (a guesser trying many names). A name alone is never refused, or anyone
// could lock the admin out from anywhere: its failures from every address only slow its checks down, a
// little more with each, up to a few seconds.
export interface WindowRule {
  max: number;
  windowMs: number;
}

export interface LoginLimits {
  perAddress: WindowRule;
  perPair: WindowRule;
  /** `max` failures of a name are free; past them each check waits, doubling from `baseMs` up to `maxMs`. */
  perName: WindowRule & { baseMs: number; maxMs: number };
}

export const LOGIN_LIMITS = {
  perAddress: { max: 10, windowMs: 15 * 60_000 },
  perPair: { max: 5, windowMs: 15 * 60_000 },
  perName: { max: 5, windowMs: 15 * 60_000, baseMs: 250, maxMs: 4000 },
} as const satisfies LoginLimits;

/** Keys kept at most per window: an attacker cycling addresses cannot make the map grow without bound. */
const MAX_KEYS = 10_000;

export class FailureWindow {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly rule: WindowRule,
    private readonly now: () => number,
  ) {}

  /** Failures of the key in the window. */
  count(key: string): number {
    return this.#recent(key).length;
  }

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
  readonly #byPair: FailureWindow;
  readonly #byName: FailureWindow;
  readonly #slow: LoginLimits['perName'];

  constructor(limits: LoginLimits = LOGIN_LIMITS, now: () => number = Date.now) {
    this.#byAddress = new FailureWindow(limits.perAddress, now);
    this.#byPair = new FailureWindow(limits.perPair, now);
    this.#byName = new FailureWindow(limits.perName, now);
    this.#slow = limits.perName;
  }

  /** 0 when this login may be checked, otherwise the milliseconds to wait. */
  blockedForMs(address: string, name: string): number {
    return Math.max(this.#byAddress.retryAfterMs(address), this.#byPair.retryAfterMs(pairKey(address, name)));
  }

  /** How long to wait before checking a password for this name: its recent failures from anywhere. */
  slowdownMs(name: string): number {
    const over = this.#byName.count(nameKey(name)) - this.#slow.max;
    return over < 0 ? 0 : Math.min(this.#slow.maxMs, this.#slow.baseMs * 2 ** Math.min(over, 30));
  }

  /** Counts an attempt as failed; call it before checking the password, and `succeeded` if it was right. */
  failed(address: string, name: string): void {
    this.#byAddress.fail(address);
    this.#byPair.fail(pairKey(address, name));
    this.#byName.fail(nameKey(name));
  }

  /**
   * The attempt just counted was right: it is taken back from the address and the name, and the pair's
   * count is cleared. The address keeps the failures other attempts built up.
   */
  succeeded(address: string, name: string): void {
    this.#byAddress.undo(address);
    this.#byName.undo(nameKey(name));
    this.#byPair.reset(pairKey(address, name));
  }
}

// User names compare without case, as in the users table.
const nameKey = (name: string) => name.toLowerCase();
const pairKey = (address: string, name: string) => `${address}\n${nameKey(name)}`;
