// The lifecycle every serial board driver shares: open and identify, report disconnects, reconnect to the
// same path with back-off (one port at a time), close. A driver says how to set a connection up, identify
// the board, start and stop its work, and what to switch off before the port goes. Used by the Firmata and
// BrewPi drivers.
import type { Clock } from '../../../common/clock.js';
import type { Outputs, SensorFrame } from '../../types.js';
import type { BoardDriver, BoardIdentity, DriverEvent } from '../driver.js';
import { BoardGoneError, DriverAlreadyOpenError } from '../line/errors.js';
import { closeLink, openSerialPort, type SerialLink } from '../serial/open.js';
import { type BackoffOptions, DEFAULT_BACKOFF, Reconnector } from '../serial/reconnect.js';
import { systemTimers, type Timers } from '../serial/timers.js';
import { Scope } from './scope.js';

export interface SerialBoardOptions {
  path: string;
  baudRate: number;
  /**
   * Further rates to try, in turn, when the board gives no handshake at the one before (a sketch's rate is
   * not known in advance). Once one answers, it is tried first on every reconnect.
   */
  fallbackBaudRates?: readonly number[];
  clock: Clock;
  timers?: Timers;
  /** Opens the port; tests pass one that opens a SerialPortMock. */
  openPort?: (path: string, baudRate: number) => Promise<SerialLink>;
  reconnect?: BackoffOptions;
}

/** One open port: what happens on it ends with its scope, so nothing from a lost port acts on the next. */
export interface Connection {
  readonly link: SerialLink;
  readonly scope: Scope;
  /** Identified: the driver's work (outputs, polling) runs. */
  ready: boolean;
}

export type ReconnectFailed = { type: 'reconnect-failed'; at: number; error: string; nextDelayMs: number };

type State = 'closed' | 'opening' | 'online' | 'reconnecting' | 'closing';

export abstract class SerialBoard<C extends Connection, E extends { type: string }> implements BoardDriver {
  abstract readonly kind: string;
  abstract readonly outputs: { write(o: Outputs): void };
  readonly path: string;
  /** Every rate this driver tries, in its first order. */
  readonly baudRates: readonly number[];
  #baudRate: number;
  protected readonly clock: Clock;
  protected readonly timers: Timers;
  readonly #openPort: (path: string, baudRate: number) => Promise<SerialLink>;
  readonly #reconnector: Reconnector;
  readonly #listeners = new Set<(e: DriverEvent) => void>();
  readonly #boardListeners = new Set<(e: E | ReconnectFailed) => void>();
  #state: State = 'closed';
  #conn: C | null = null;
  #identity: BoardIdentity | null = null;

  constructor(opts: SerialBoardOptions) {
    this.path = opts.path;
    this.baudRates = [opts.baudRate, ...(opts.fallbackBaudRates ?? [])];
    this.#baudRate = opts.baudRate;
    this.clock = opts.clock;
    this.timers = opts.timers ?? systemTimers;
    this.#openPort = opts.openPort ?? openSerialPort;
    this.#reconnector = new Reconnector(
      this.timers,
      opts.reconnect ?? DEFAULT_BACKOFF,
      () => this.#reconnect(),
      (err, nextDelayMs) =>
        this.tell({
          type: 'reconnect-failed',
          at: this.clock.now(),
          error: (err as Error).message,
          nextDelayMs,
        }),
    );
  }

  abstract read(): SensorFrame;

  /** Builds the connection on a freshly opened port and subscribes to what the board sends. */
  protected abstract connection(link: SerialLink, scope: Scope): C;
  /** The handshake; rejects with a COBREW_ERR_ code (the port is then closed). */
  protected abstract identify(c: C): Promise<BoardIdentity>;
  /** The board is identified: set it up, re-assert what it drives, start polling. */
  protected abstract started(c: C): void;
  /** The connection is gone: forget what it told (readings, state). */
  protected abstract forgotten(c: C): void;
  /** Before the port closes on `close()`: switch everything off and wait (bounded) for the board to take it. */
  protected abstract shutDown(c: C): Promise<void>;
  /** Whether `identify` failed because nothing answered at this rate (then the next rate is tried). */
  protected noAnswer(_err: unknown): boolean {
    return false;
  }

  /** The rate the port is opened at: the first, or the one the board last answered at. */
  get baudRate(): number {
    return this.#baudRate;
  }

  get identity(): BoardIdentity | null {
    return this.#identity;
  }

  get connected(): boolean {
    return this.#state === 'online';
  }

  /** The live connection, identified and set up; null otherwise. */
  protected get live(): C | null {
    return this.#conn?.ready ? this.#conn : null;
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** What this kind of board tells beyond the lifecycle, and failed reconnection attempts. */
  onBoardEvent(listener: (event: E | ReconnectFailed) => void): () => void {
    this.#boardListeners.add(listener);
    return () => this.#boardListeners.delete(listener);
  }

  async open(): Promise<BoardIdentity> {
    if (this.#state !== 'closed') throw new DriverAlreadyOpenError(this.path);
    this.#state = 'opening';
    try {
      const identity = await this.#connect();
      this.#state = 'online';
      this.#emit({ type: 'identified', at: this.clock.now(), identity });
      return identity;
    } catch (err) {
      this.#state = 'closed';
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    const wasOnline = this.#state === 'online';
    this.#state = 'closing';
    this.#reconnector.stop();
    const c = this.#conn;
    if (c !== null) {
      if (wasOnline && c.ready) await this.shutDown(c);
      this.#drop(c);
      await closeLink(c.link);
    }
    this.#state = 'closed';
  }

  protected tell(event: E | ReconnectFailed): void {
    for (const l of this.#boardListeners) l(event);
  }

  #emit(event: DriverEvent): void {
    for (const l of this.#listeners) l(event);
  }

  async #reconnect(): Promise<void> {
    const identity = await this.#connect();
    this.#state = 'online';
    this.#emit({ type: 'reconnected', at: this.clock.now(), identity });
  }

  /** Tries each rate, the last that worked first, until one gives a handshake; the last failure is thrown. */
  async #connect(): Promise<BoardIdentity> {
    const rates = [this.#baudRate, ...this.baudRates.filter((r) => r !== this.#baudRate)];
    for (const [i, rate] of rates.entries()) {
      this.#baudRate = rate;
      try {
        return await this.#connectAt(rate);
      } catch (err) {
        if (i === rates.length - 1 || !this.noAnswer(err)) {
          this.#baudRate = rates[0] as number;
          throw err;
        }
      }
    }
    throw new BoardGoneError(this.path);
  }

  /** Opens the port and identifies the board; on any failure the port is closed again before throwing. */
  async #connectAt(baudRate: number): Promise<BoardIdentity> {
    const link = await this.#openPort(this.path, baudRate);
    if (this.#state === 'closing' || this.#state === 'closed') {
      // close() ran while the port was opening: hand it straight back.
      await closeLink(link);
      throw new BoardGoneError(this.path);
    }
    const c = this.connection(link, new Scope(this.timers));
    this.#conn = c;
    link.on('error', () => {
      // A failed write or read: serialport closes a disconnected port itself, and 'close' handles that.
    });
    link.on('close', (err: Error | null) => this.#onClose(c, err));
    try {
      const identity = await this.identify(c);
      if (c.scope.ended) throw new BoardGoneError(this.path);
      this.#identity = identity;
      c.ready = true;
      this.started(c);
      return identity;
    } catch (err) {
      this.#drop(c);
      await closeLink(link);
      throw err;
    }
  }

  #drop(c: C): void {
    c.scope.end();
    c.ready = false;
    if (this.#conn === c) this.#conn = null;
    this.forgotten(c);
  }

  #onClose(c: C, err: Error | null): void {
    if (c.scope.ended) return;
    const wasReady = c.ready;
    this.#drop(c);
    if (!wasReady || this.#state !== 'online') return;
    this.#state = 'reconnecting';
    this.#emit({ type: 'disconnected', at: this.clock.now(), reason: err?.message ?? 'port closed' });
    this.#reconnector.start();
  }
}
