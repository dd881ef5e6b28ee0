// What the mirror says about an outage, and how long it waits between tries: the decisions only, on an
// injectable clock. A down server produces a failure per try and a queued batch per second; the log gets
// one line when it goes down (and when the reason changes), one when the queue first overflows, a progress
// line at most every `reportEveryMs`, and one when everything is caught up.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../common/clock.js';
import { InfluxQueueFullError } from './errors.js';

export interface OutageSettings {
  retryMinMs: number;
  retryMaxMs: number;
  /** Longest silence in the log while readings are queued. */
  reportEveryMs: number;
  queueFile: string;
  queueMaxReadings: number;
}

/** Why a send failed, as logged: an error made by errors.ts (its code and a message with the fix). */
export interface Failure {
  code: string;
  message: string;
}

type Log = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export class OutageReport {
  /** Failures in a row since the last delivery: sets the wait before the next try. */
  #failures = 0;
  #lastCode: string | null = null;
  /** Start of the current episode (first failure or first queued reading), null when all is sent. */
  #since: number | null = null;
  #lastReport = 0;
  #delivered = 0;
  #dropped = 0;
  #fullSaid = false;

  constructor(
    private readonly clock: Clock,
    private readonly log: Log,
    private readonly settings: OutageSettings,
  ) {}

  /** Whether the server is taken to be unreachable (since a failure, until a delivery). */
  get down(): boolean {
    return this.#failures > 0;
  }

  /** A send failed; returns how long to wait before the next try (doubling up to retryMaxMs). */
  failed(failure: Failure, backlog: number): number {
    this.#failures++;
    this.#begin();
    if (failure.code !== this.#lastCode) {
      this.#lastCode = failure.code;
      this.#lastReport = this.clock.now();
      // A refusal (token, org, bucket) waits for a person; an outage usually ends by itself.
      const level = failure.code === 'COBREW_ERR_INFLUX_REFUSED' ? 'error' : 'warn';
      this.log[level]({ code: failure.code, backlog }, failure.message);
    } else this.#progress(backlog);
    const { retryMinMs, retryMaxMs } = this.settings;
    return Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(this.#failures - 1, 30));
  }

  /** Readings went into the queue, and `dropped` of the oldest fell off its bound. */
  queued(backlog: number, dropped: number): void {
    this.#begin();
    if (dropped > 0) {
      this.#dropped += dropped;
      if (!this.#fullSaid) {
        this.#fullSaid = true;
        const err = new InfluxQueueFullError(this.settings.queueFile, this.settings.queueMaxReadings);
        this.log.error({ code: err.code, backlog }, err.message);
        this.#lastReport = this.clock.now();
        return;
      }
    }
    this.#progress(backlog);
  }

  /** Queued readings reached the server. */
  delivered(count: number, backlog: number): void {
    if (this.#failures > 0) {
      this.log.info({ backlog }, `InfluxDB answers again; sending ${backlog + count} queued readings`);
      this.#lastReport = this.clock.now();
      this.#failures = 0;
      this.#lastCode = null;
    }
    this.#delivered += count;
    this.#progress(backlog);
  }

  /** The queue is empty: closes the episode with one line. */
  caughtUp(): void {
    if (this.#since === null) return;
    const seconds = Math.round((this.clock.now() - this.#since) / 1000);
    const dropped = this.#dropped > 0 ? `, ${this.#dropped} dropped at the queue's bound` : '';
    this.log.info(
      { delivered: this.#delivered, dropped: this.#dropped, seconds },
      `InfluxDB caught up: ${this.#delivered} queued readings delivered ${seconds} s after the first was queued${dropped}`,
    );
    this.#since = null;
    this.#delivered = 0;
    this.#dropped = 0;
    this.#fullSaid = false;
  }

  /** A queue found on start: the episode began before this process. */
  resumed(backlog: number): void {
    this.#begin();
    this.#lastReport = this.clock.now();
    this.log.info({ backlog }, `InfluxDB: ${backlog} readings queued before the last stop; sending them`);
  }

  #begin(): void {
    if (this.#since === null) {
      this.#since = this.clock.now();
      this.#lastReport = this.#since;
    }
  }

  #progress(backlog: number): void {
    const now = this.clock.now();
    if (now - this.#lastReport < this.settings.reportEveryMs) return;
    this.#lastReport = now;
    const state = this.down ? 'unavailable' : 'catching up';
    this.log.info(
      { backlog, delivered: this.#delivered, dropped: this.#dropped },
      `InfluxDB ${state}: ${backlog} readings queued, ${this.#delivered} delivered, ${this.#dropped} dropped so far`,
    );
  }
}
