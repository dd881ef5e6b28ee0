// One real board in the fleet: opens its driver (and keeps trying while it cannot), turns what the board
// says into guard actions, and keeps the board summary the fermenter's state carries. Whenever the board
// has cut, refused or may not have applied an output, the guard is told to force everything off, so it
// never believes an output is on that the board is not driving, and its minimum off-times start again.
import type { Clock } from '../../common/clock.js';
import type { RealBoardConfig } from '../config-schema.js';
import type { BoardDriver, BoardIdentity, DriverEvent, ResetSign } from '../drivers/driver.js';
import type { LineBoardEvent } from '../drivers/line/line-driver.js';
import type { Timers } from '../drivers/serial/timers.js';
import type { Fermenter } from '../fermenter.js';
import type { BoardSummary, Outputs } from '../types.js';
import { noBoardFailsafe } from './board-failsafe.js';
import { brownOutWarning } from './brown-out.js';
import { identityDeviations, resolveProfile } from './resolve.js';

/** What a board did, for the black-box journal. */
export type BoardLogEntry = { at: number; fermenterId: string; port: string } & BoardLogEvent;
export type BoardLogEvent =
  | { kind: 'board-identified' | 'board-reconnected'; identity: BoardIdentity }
  /** A driver that could not tell who the board is after a reset gives no identity; older journals neither. */
  | { kind: 'board-reset'; identity?: BoardIdentity; sign?: ResetSign }
  | { kind: 'board-open-failed'; code: string; error: string; retryInMs: number }
  | { kind: 'board-disconnected'; reason: string }
  | { kind: 'board-reconnect-failed'; error: string; attempts: number }
  | { kind: 'board-failsafe'; reason: string }
  | { kind: 'board-refused'; outputs: Outputs; reason: string }
  | { kind: 'board-ack-missing'; outputs: Outputs };

/** Drivers that tell more than the lifecycle (the line protocol's ACK/NAK, failsafe, reset). */
export type WithBoardEvents = BoardDriver & { onBoardEvent(l: (e: LineBoardEvent) => void): () => void };
export const hasBoardEvents = (d: BoardDriver): d is WithBoardEvents =>
  typeof (d as Partial<WithBoardEvents>).onBoardEvent === 'function';

/** Wait before trying again to open a board that could not be opened. */
export const OPEN_RETRY_MS = 10_000;

export class BoardSession {
  readonly #config: RealBoardConfig;
  readonly #unsubscribe: Array<() => void> = [];
  #fermenter: Fermenter | null = null;
  #summary: BoardSummary;
  #cancelRetry: (() => void) | null = null;
  #closed = false;
  #failedReconnects = 0;

  constructor(
    readonly fermenterId: string,
    config: RealBoardConfig,
    readonly driver: BoardDriver,
    readonly opts: {
      clock: Clock;
      timers: Timers;
      log: (entry: BoardLogEntry) => void;
      retryMs?: number;
      /** A board event this session could not handle; without it, the fermenter is made safe here. */
      onError?: (error: unknown) => void;
      /** Deviations beyond the board's profile (e.g. a cooling output declared resistive). */
      loadDeviations?: string[];
    },
  ) {
    this.#config = config;
    const { id, modified, deviations } = this.#resolved();
    const warnings = this.#warnings(null);
    this.#summary = Object.freeze({
      kind: config.type,
      profile: id,
      modified,
      deviations,
      connected: false,
      warnings,
    });
    this.#unsubscribe.push(driver.onEvent((e) => this.#guarded(() => this.#onDriverEvent(e))));
    if (hasBoardEvents(driver)) {
      this.#unsubscribe.push(driver.onBoardEvent((e) => this.#guarded(() => this.#onBoardEvent(e))));
    }
  }

  /**
   * A driver calls its listeners from its own I/O callbacks, where a throw would end the whole process: an
   * event that cannot be handled makes this fermenter safe instead, and is handed to the fleet.
   */
  #guarded(handle: () => void): void {
    try {
      handle();
    } catch (err) {
      if (this.opts.onError) this.opts.onError(err);
      else this.#forceSafe(`a board event could not be handled (${(err as Error).message})`);
    }
  }

  /** Set once the fermenter exists (it is built with this session's summary). */
  attach(fermenter: Fermenter): void {
    this.#fermenter = fermenter;
  }

  readonly summary = (): BoardSummary => this.#summary;

  /** Resolves once the board is open, or once it has failed to open (retries then go on in the background). */
  async open(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.driver.open();
    } catch (err) {
      if (this.#closed) return;
      const e = err as Error & { code?: string };
      const code = e.code ?? 'COBREW_ERR_BOARD_OPEN';
      const retryInMs = this.opts.retryMs ?? OPEN_RETRY_MS;
      this.#entry({ kind: 'board-open-failed', code, error: e.message, retryInMs });
      this.#forceSafe(`the board on ${this.#config.port} could not be opened (${code}: ${e.message})`);
      this.#cancelRetry = this.opts.timers.after(retryInMs, () => {
        this.#cancelRetry = null;
        void this.open();
      });
    }
  }

  /** Stops retrying and closes the driver (which switches the board's outputs off first). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cancelRetry?.();
    this.#cancelRetry = null;
    try {
      await this.driver.close();
    } finally {
      for (const off of this.#unsubscribe) off();
    }
  }

  #onDriverEvent(e: DriverEvent): void {
    switch (e.type) {
      case 'identified':
      case 'reconnected':
        this.#failedReconnects = 0;
        this.#identified(e.identity);
        this.#entry({
          kind: e.type === 'identified' ? 'board-identified' : 'board-reconnected',
          identity: e.identity,
        });
        return;
      case 'disconnected':
        this.#update({ connected: false });
        this.#entry({ kind: 'board-disconnected', reason: e.reason });
        this.#forceSafe(`the board on ${this.#config.port} was disconnected (${e.reason})`);
        return;
    }
  }

  #onBoardEvent(e: LineBoardEvent): void {
    switch (e.type) {
      case 'failsafe':
        this.#entry({ kind: 'board-failsafe', reason: e.reason });
        this.#forceSafe(`the board's own failsafe switched its outputs off (${e.reason})`);
        return;
      case 'board-reset': {
        // A reset that names no board (an older or foreign driver) keeps what was identified before.
        const identity = (e as { identity?: BoardIdentity }).identity;
        if (identity !== undefined) this.#identified(identity);
        else this.#update({ connected: true });
        this.#entry({ kind: 'board-reset', ...(identity === undefined ? {} : { identity }), sign: e.sign });
        // The driver holds every output off until the guard writes all-off, which this makes it do.
        this.#fermenter?.guard.boardReset(
          `the board reset (cause: ${identity?.resetCause ?? 'unknown'}, seen by ${RESET_SIGN[e.sign]}), ` +
            'switching its outputs off',
          identity?.resetCause,
        );
        return;
      }
      case 'reconnect-failed':
        // Every attempt while the cable is out would fill the journal: the first one, then every tenth.
        this.#failedReconnects++;
        if (this.#failedReconnects % 10 === 1) {
          this.#entry({ kind: 'board-reconnect-failed', error: e.error, attempts: this.#failedReconnects });
        }
        return;
      case 'output-ack': {
        const { ack } = e;
        if (ack.result === 'nak') {
          this.#entry({ kind: 'board-refused', outputs: ack.outputs, reason: ack.reason });
          const why = REFUSAL[ack.reason] ?? ack.reason;
          this.#forceSafe(`the board refused outputs ${describe(ack.outputs)} (${ack.reason}: ${why})`);
        } else if (ack.result === 'missing' && (ack.outputs.heat || ack.outputs.cool)) {
          this.#entry({ kind: 'board-ack-missing', outputs: ack.outputs });
          this.#forceSafe(`the board did not acknowledge outputs ${describe(ack.outputs)}`);
        }
        return;
      }
    }
  }

  #identified(identity: BoardIdentity): void {
    const { deviations, modified } = this.#resolved();
    const extra = identityDeviations(this.#config, identity);
    this.#update({
      warnings: this.#warnings(identity),
      connected: true,
      firmware: `${identity.firmware} ${identity.version}`,
      modified: modified || extra.length > 0,
      deviations: [...deviations, ...extra],
    });
  }

  /** No board failsafe, a low brown-out level: what needs a person's attention. */
  #warnings(identity: BoardIdentity | null): string[] {
    return [noBoardFailsafe(this.#config), brownOutWarning(identity)].filter((w): w is string => w !== null);
  }

  /** The profile's deviations and the loads'. */
  #resolved(): { id: string; modified: boolean; deviations: string[] } {
    const r = resolveProfile(this.#config);
    const loads = this.opts.loadDeviations ?? [];
    return { id: r.id, modified: r.modified || loads.length > 0, deviations: [...r.deviations, ...loads] };
  }

  #update(change: Partial<BoardSummary>): void {
    this.#summary = Object.freeze({ ...this.#summary, ...change });
  }

  #forceSafe(reason: string): void {
    this.#fermenter?.guard.forceSafe(reason);
  }

  #entry(e: BoardLogEvent): void {
    const at = this.opts.clock.now();
    this.opts.log({ at, fermenterId: this.fermenterId, port: this.#config.port, ...e });
  }
}

const RESET_SIGN: Record<ResetSign, string> = {
  hello: 'its HELLO',
  'boot-flag': 'BOOT in its status, its HELLO lost',
  'report-version': 'its REPORT_VERSION',
};

/** The reference firmware's NAK reasons for an OUT, in words (docs/board-protocol.md §4). */
const REFUSAL: Record<string, string> = {
  INTERLOCK: 'heat and cool together',
  MAXON: 'the output was cut at its maximum on-time and must be switched off first',
  MINOFF: "the compressor's minimum off-time compiled into the board has not passed",
  MINON: "the compressor's minimum on-time compiled into the board has not passed",
  DEADTIME: 'the dead time between heating and cooling compiled into the board has not passed',
  OVERTEMP: "a probe read above the board's own over-temperature limit",
};

const describe = (o: Outputs) => `heat ${o.heat ? 'on' : 'off'}, cool ${o.cool ? 'on' : 'off'}`;
