// Re-opening a lost serial board: one attempt at a time on the same path, waiting longer after each failure.
import type { Timers } from './timers.js';

export interface BackoffOptions {
  /** Wait before the first attempt. */
  initialMs: number;
  /** Longest wait between attempts. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 10_000 };

/**
 * Calls `attempt` after a delay that doubles from `initialMs` up to `maxMs` until it succeeds or `stop()`
 * is called. Attempts never overlap, so a driver never holds two ports to the same board.
 */
export class Reconnector {
  #cancel: (() => void) | null = null;
  #running = false;
  #delay: number;

  constructor(
    readonly timers: Timers,
    readonly backoff: BackoffOptions,
    readonly attempt: () => Promise<void>,
    readonly onFailure: (err: unknown, nextDelayMs: number) => void,
  ) {
    this.#delay = backoff.initialMs;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#delay = this.backoff.initialMs;
    this.#schedule();
  }

  stop(): void {
    this.#running = false;
    this.#cancel?.();
    this.#cancel = null;
  }

  #schedule(): void {
    this.#cancel = this.timers.after(this.#delay, () => {
      this.#cancel = null;
      void this.#try();
    });
  }

  async #try(): Promise<void> {
    if (!this.#running) return;
    try {
      await this.attempt();
      this.#running = false;
    } catch (err) {
      if (!this.#running) return;
      this.#delay = Math.min(this.backoff.maxMs, this.#delay * 2);
      this.onFailure(err, this.#delay);
      this.#schedule();
    }
  }
}
