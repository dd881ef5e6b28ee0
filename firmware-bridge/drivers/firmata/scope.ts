// The lifetime of one open port: waits and sleeps taken in it end when it ends, so nothing begun on a lost
// port acts on the next one. Used by the Firmata and BrewPi drivers (one scope per connection).
import type { Timers } from '../serial/timers.js';

export class Scope {
  #ended = false;
  readonly #onEnd = new Set<() => void>();

  constructor(readonly timers: Timers) {}

  get ended(): boolean {
    return this.#ended;
  }

  /** Resolves with the value `arm` delivers, or null after `ms` or when the scope ends. */
  within<T>(ms: number, arm: (deliver: (value: T) => void) => void): Promise<T | null> {
    return new Promise((resolve) => {
      if (this.#ended) {
        resolve(null);
        return;
      }
      let done = false;
      const finish = (value: T | null) => {
        if (done) return;
        done = true;
        cancel();
        this.#onEnd.delete(giveUp);
        resolve(value);
      };
      const giveUp = () => finish(null);
      const cancel = this.timers.after(ms, giveUp);
      this.#onEnd.add(giveUp);
      arm(finish);
    });
  }

  /** Waits `ms`; false when the scope ended meanwhile. */
  async sleep(ms: number): Promise<boolean> {
    await this.within<never>(ms, () => {});
    return !this.#ended;
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const f of [...this.#onEnd]) f();
    this.#onEnd.clear();
  }
}
