// A BrewPi board on its legacy firmware (0.2.x), so its owner moves to cobrew without reflashing. The
// firmware runs its own control loop and drives its own relays: cobrew reads its temperatures and state,
// forwards mode and setpoints, and on a trip commands mode off and keeps at it until the board reports it.
// How the fleet plugs it in: README.md beside this file.
import { ReadlineParser } from 'serialport';
import type { Outputs, SensorFrame, SensorSample } from '../../types.js';
import type { BoardIdentity } from '../driver.js';
import type { Scope } from '../firmata/scope.js';
import {
  type Connection,
  type ReconnectFailed,
  SerialBoard,
  type SerialBoardOptions,
} from '../firmata/serial-board.js';
import { BoardGoneError } from '../line/errors.js';
import type { SerialLink } from '../serial/open.js';
import { BrewPiNoAnswerError, BrewPiUnitsError } from './errors.js';
import {
  ANSWER,
  BREWPI_BAUD_RATE,
  type BrewPiStateName,
  type Constants,
  encodeSettings,
  outputsOf,
  parseReply,
  type Query,
  type Reply,
  type Settings,
  stateName,
} from './protocol.js';

/**
 * What cobrew asks the board to hold. A profile is the board's profile mode (`p`) with a moving beer
 * setpoint: the mode is written once, then only the setpoint, which the firmware keeps out of its EEPROM.
 */
export type BrewPiTarget =
  | { mode: 'o' }
  | { mode: 'b' | 'p'; beerSetC: number }
  | { mode: 'f'; fridgeSetC: number };

/** The board's own view of its control, from its latest `T:`. */
export interface BrewPiBoardState {
  at: number;
  state: BrewPiStateName;
  /** The relays the board runs in that state. */
  outputs: Outputs;
  beerSetC: number | null;
  fridgeSetC: number | null;
}

export interface BrewPiDriverOptions extends Omit<SerialBoardOptions, 'baudRate'> {
  baudRate?: number;
  /** Board profile id from the configuration (`custom` unless the board matches a reference profile). */
  profile?: string;
  /** Give up identifying after this long (opening resets an Uno; its bootloader takes about 2 s). */
  helloTimeoutMs?: number;
  /** Ask `n` again this often while the board is silent. */
  helloRetryMs?: number;
  /** How long one query may wait for its reply. */
  answerMs?: number;
  /** Temperatures and state (`t`) this often: within the guard's stale time (10 s by default). */
  pollMs?: number;
  /** Settings (`s`) this often while they match what cobrew wants. */
  settingsPollMs?: number;
  /** While they do not: re-read, and send again, this often. */
  verifyMs?: number;
  /**
   * How long the guard may keep off an output the board runs before the board is put in mode off (default
   * 11 min). It must outlast the guard's longest minimum off-time and heat/cool dead time (5 and 10 min by
   * default): at start-up the guard holds outputs off for their minimum off-time while the board may already
   * be running one, and the board is seen through `t` polls, so both disagree for a moment at each switch.
   * Trips do not wait for it: the fleet calls `safeOff` on every trip.
   */
  vetoGraceMs?: number;
}

export type BrewPiBoardEvent =
  /** `j{…}` went out (first time or again). */
  | { type: 'settings-sent'; at: number; command: string }
  /** The board reports what cobrew asked. */
  | { type: 'settings-confirmed'; at: number; settings: Settings }
  /** cobrew holds the board in mode off until `resume()`. */
  | { type: 'safe-off'; at: number; reason: string }
  | { type: 'mode-off-verified'; at: number; reason: string; sends: number }
  /** A setpoint outside the board's own limits (`C:` tempSetMin…tempSetMax) was sent clamped. */
  | { type: 'setpoint-clamped'; at: number; askedC: number; sentC: number }
  | ReconnectFailed;

export interface BrewPiStats {
  linesReceived: number;
  /** Lines that were not a reply cobrew understands. */
  dropped: number;
  missingAnswers: number;
  settingsSent: number;
}

interface BrewPiConnection extends Connection {
  /** Queries waiting for a reply, by the reply's letter. */
  readonly waiters: Map<string, Set<(r: Reply) => void>>;
  /** Wakes the settings loop early (a new target, a trip). */
  wake: (() => void) | null;
}

const PROBE_OF = { beer: 'beer', chamber: 'fridge', ambient: 'room' } as const;
const close = (a: number | null, b: number) => a !== null && Math.abs(a - b) < 0.006;

export class BrewPiDriver extends SerialBoard<BrewPiConnection, BrewPiBoardEvent> {
  readonly kind = 'brewpi';
  /** The guard's port. The board switches its own relays: see `#guardWrites`. */
  readonly outputs = { write: (o: Outputs) => this.#guardWrites(o) };
  readonly #opts: BrewPiDriverOptions;
  #constants: Constants | null = null;
  #samples: Record<'beer' | 'fridge' | 'room', SensorSample | null> = {
    beer: null,
    fridge: null,
    room: null,
  };
  #boardState: BrewPiBoardState | null = null;
  #settings: Settings | null = null;
  #target: BrewPiTarget | null = null;
  /** Why cobrew holds the board in mode off; null when it does not. */
  #held: string | null = null;
  #offWaiters: Array<(verified: boolean) => void> = [];
  /** Sends of the current wish not yet confirmed by the board (0: confirmed, or nothing asked). */
  #sends = 0;
  #lastSendAt = Number.NEGATIVE_INFINITY;
  #vetoSince: number | null = null;
  readonly #stats: BrewPiStats = { linesReceived: 0, dropped: 0, missingAnswers: 0, settingsSent: 0 };

  constructor(opts: BrewPiDriverOptions) {
    super({ ...opts, baudRate: opts.baudRate ?? BREWPI_BAUD_RATE });
    this.#opts = opts;
  }

  /** The board's control state and relays from its latest `T:`; null while unknown or disconnected. */
  get boardState(): BrewPiBoardState | null {
    return this.#boardState;
  }

  /** The board's mode and setpoints from its latest `S:`. */
  get settings(): Settings | null {
    return this.#settings;
  }

  get target(): BrewPiTarget | null {
    return this.#target;
  }

  get held(): string | null {
    return this.#held;
  }

  get stats(): Readonly<BrewPiStats> {
    return this.#stats;
  }

  /**
   * What the board should hold: sent now (unless held off), confirmed by reading its settings back, sent
   * again until it is, and re-asserted after a reconnect or when someone changes it at the board.
   */
  setTarget(target: BrewPiTarget): void {
    const t = this.#clamped(target);
    if (this.#target !== null && sameTarget(this.#target, t)) return;
    this.#target = t;
    const askedC = setpointOf(target);
    const sentC = setpointOf(t);
    if (askedC !== null && sentC !== null && askedC !== sentC) {
      this.tell({ type: 'setpoint-clamped', at: this.clock.now(), askedC, sentC });
    }
    if (this.#held === null) this.#push();
  }

  /** The board's LCD, four lines (`l`); null when it does not answer. */
  async lcd(): Promise<string[] | null> {
    const c = this.live;
    const reply = c === null ? null : await this.#ask(c, 'l');
    return reply?.type === 'L' ? reply.lines : null;
  }

  /** The firmware's control variables (`v`: PID terms, peak estimates); null when it does not answer. */
  async variables(): Promise<Record<string, unknown> | null> {
    const c = this.live;
    const reply = c === null ? null : await this.#ask(c, 'v');
    return reply?.type === 'V' ? reply.variables : null;
  }

  /**
   * Mode off, latched until `resume()`: sent now and again every `verifyMs` until the board's `S:` says mode
   * o. Resolves true once it does, false if the driver is closed first. While the board is unplugged the
   * latch waits and is enforced as soon as it is back.
   */
  safeOff(reason: string): Promise<boolean> {
    const verified = new Promise<boolean>((resolve) => this.#offWaiters.push(resolve));
    if (this.#held === null) {
      this.#held = reason;
      this.tell({ type: 'safe-off', at: this.clock.now(), reason });
      this.#push();
    } else this.#reconcile();
    return verified;
  }

  /** Releases the latch (after a person cleared the trip): the target is sent again. */
  resume(): void {
    if (this.#held === null) return;
    this.#held = null;
    this.#vetoSince = null;
    this.#push();
  }

  /** Also tells anyone still waiting for mode off that it will not come from this driver. */
  override async close(): Promise<void> {
    await super.close();
    for (const resolve of this.#offWaiters.splice(0)) resolve(false);
  }

  read(): SensorFrame {
    const on = this.connected;
    const s = (p: keyof typeof PROBE_OF) => (on ? this.#samples[PROBE_OF[p]] : null);
    return { at: this.clock.now(), beer: s('beer'), chamber: s('chamber'), ambient: s('ambient') };
  }

  /**
   * The guard's writes. The board switches its own relays, so cobrew never switches one on ("on" is the
   * guard agreeing with what the board does). An output the guard keeps off while the board runs it for
   * longer than the grace is the guard overruling the board: mode off, latched like a trip.
   */
  #guardWrites(o: Outputs): void {
    const running = this.connected ? this.#boardState?.outputs : undefined;
    const vetoed = running !== undefined && ((running.heat && !o.heat) || (running.cool && !o.cool));
    if (!vetoed || this.#held !== null) {
      this.#vetoSince = null;
      return;
    }
    const now = this.clock.now();
    this.#vetoSince ??= now;
    if (now - this.#vetoSince >= (this.#opts.vetoGraceMs ?? 11 * 60_000)) {
      const what = running.heat && !o.heat ? 'heating' : 'cooling';
      void this.safeOff(`the safety guard kept ${what} off while the board ran it`);
    }
  }

  #clamped(t: BrewPiTarget): BrewPiTarget {
    const asked = setpointOf(t);
    if (asked === null) return t;
    // The legacy firmware's own defaults when its constants are not known yet.
    const min = this.#constants?.tempSetMin ?? 1;
    const max = this.#constants?.tempSetMax ?? 30;
    const sent = Math.min(max, Math.max(min, asked));
    if (sent === asked) return t;
    return t.mode === 'f' ? { mode: 'f', fridgeSetC: sent } : { mode: t.mode, beerSetC: sent };
  }

  /** What the board must hold now: off while held, else the target. */
  #wanted(): BrewPiTarget | null {
    return this.#held !== null ? { mode: 'o' } : this.#target;
  }

  /** A new wish: send it at once when online, and have the settings loop read it back. */
  #push(): void {
    this.#sends = 0;
    this.#lastSendAt = Number.NEGATIVE_INFINITY;
    const c = this.live;
    if (c !== null) {
      this.#send(c);
      c.wake?.();
    }
  }

  #send(c: BrewPiConnection): void {
    const want = this.#wanted();
    if (want === null) return;
    // Already in profile mode: only the setpoint moves (writing the mode again resets the board's state).
    const inProfile = want.mode === 'p' && this.#settings?.mode === 'p';
    const command =
      want.mode === 'o'
        ? encodeSettings({ mode: 'o' })
        : want.mode === 'f'
          ? encodeSettings({ mode: 'f', fridgeSet: want.fridgeSetC })
          : encodeSettings({ ...(inProfile ? {} : { mode: want.mode }), beerSet: want.beerSetC });
    c.link.write(command);
    this.#sends++;
    this.#lastSendAt = this.clock.now();
    this.#stats.settingsSent++;
    this.tell({ type: 'settings-sent', at: this.#lastSendAt, command });
  }

  /** Compares the board's settings with the wish: confirms, or sends again (at most every `verifyMs`). */
  #reconcile(): void {
    const want = this.#wanted();
    const s = this.#settings;
    const c = this.live;
    if (want === null || s === null || c === null) return;
    if (matches(s, want)) {
      if (this.#sends > 0 || this.#held !== null) this.#confirmed(s);
      return;
    }
    if (this.clock.now() - this.#lastSendAt >= (this.#opts.verifyMs ?? 1000)) this.#send(c);
  }

  #confirmed(s: Settings): void {
    const at = this.clock.now();
    const sends = this.#sends;
    this.#sends = 0;
    if (sends > 0) this.tell({ type: 'settings-confirmed', at, settings: s });
    if (this.#held !== null && this.#offWaiters.length > 0) {
      this.tell({ type: 'mode-off-verified', at, reason: this.#held, sends });
      for (const resolve of this.#offWaiters.splice(0)) resolve(true);
    }
  }

  protected connection(link: SerialLink, scope: Scope): BrewPiConnection {
    const c: BrewPiConnection = { link, scope, waiters: new Map(), ready: false, wake: null };
    const lines = link.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
    lines.on('data', (line: string) => this.#onLine(c, line));
    return c;
  }

  /** Outputs are the board's; what is re-asserted is the mode: off while held, else the target. */
  protected started(c: BrewPiConnection): void {
    this.#sends = 0;
    this.#lastSendAt = Number.NEGATIVE_INFINITY;
    void this.#pollLoop(c);
    void this.#settingsLoop(c);
  }

  /** Mode off (every output off, as every driver does on close), confirmed when the board answers in time. */
  protected async shutDown(c: BrewPiConnection): Promise<void> {
    const heldBefore = this.#held;
    const off = this.safeOff(heldBefore ?? 'cobrew is stopping');
    await c.scope.within(4 * (this.#opts.verifyMs ?? 1000), (deliver) => void off.then(deliver));
    this.#held = heldBefore;
  }

  protected async identify(c: BrewPiConnection): Promise<BoardIdentity> {
    const helloMs = this.#opts.helloTimeoutMs ?? 10_000;
    const retryMs = this.#opts.helloRetryMs ?? 1000;
    const deadline = this.clock.now() + helloMs;
    let hello: Reply | null = null;
    while (hello === null && !c.scope.ended && this.clock.now() < deadline) {
      hello = await this.#ask(c, 'n', Math.min(retryMs, deadline - this.clock.now()), false);
    }
    if (c.scope.ended) throw new BoardGoneError(this.path);
    if (hello?.type !== 'N') throw new BrewPiNoAnswerError(this.path, 'n', this.baudRate, helloMs);
    const answerMs = this.#opts.answerMs ?? 1000;
    const constants = await this.#ask(c, 'c');
    if (c.scope.ended) throw new BoardGoneError(this.path);
    if (constants?.type !== 'C') throw new BrewPiNoAnswerError(this.path, 'c', this.baudRate, answerMs);
    if (constants.constants.tempFormat.toUpperCase() !== 'C') throw new BrewPiUnitsError(this.path);
    this.#constants = constants.constants;
    // Boards from before the device manager do not answer `d{}`: their sensors stay unlisted.
    const devices = await this.#ask(c, 'd{}');
    if (c.scope.ended) throw new BoardGoneError(this.path);
    return {
      firmware: 'brewpi',
      version: hello.version,
      profile: this.#opts.profile ?? 'custom',
      sensors: devices?.type === 'd' ? devices.sensors : [],
    };
  }

  /** Sends a query and resolves with its reply, or null after `ms` or when the connection ends. */
  async #ask(
    c: BrewPiConnection,
    query: Query,
    ms = this.#opts.answerMs ?? 1000,
    count = true,
  ): Promise<Reply | null> {
    const letter = ANSWER[query];
    let deliver: ((r: Reply) => void) | null = null;
    const reply = await c.scope.within<Reply>(ms, (d) => {
      deliver = d;
      const set = c.waiters.get(letter) ?? new Set();
      c.waiters.set(letter, set);
      set.add(d);
      c.link.write(query);
    });
    if (deliver !== null) c.waiters.get(letter)?.delete(deliver);
    if (reply === null && count && !c.scope.ended) this.#stats.missingAnswers++;
    return reply;
  }

  async #pollLoop(c: BrewPiConnection): Promise<void> {
    const pollMs = this.#opts.pollMs ?? 2000;
    while (!c.scope.ended) {
      const started = this.clock.now();
      await this.#ask(c, 't');
      if (!(await c.scope.sleep(Math.max(0, pollMs - (this.clock.now() - started))))) return;
    }
  }

  /** Reads the settings, confirms or re-sends the wish; quickly while unconfirmed, slowly after. */
  async #settingsLoop(c: BrewPiConnection): Promise<void> {
    while (!c.scope.ended) {
      await this.#ask(c, 's');
      const unsettled = this.#sends > 0 || (this.#held !== null && this.#offWaiters.length > 0);
      const waitMs = unsettled ? (this.#opts.verifyMs ?? 1000) : (this.#opts.settingsPollMs ?? 10_000);
      await c.scope.within<true>(waitMs, (deliver) => {
        c.wake = () => deliver(true);
      });
      c.wake = null;
    }
  }

  #onLine(c: BrewPiConnection, raw: string): void {
    if (c.scope.ended) return;
    this.#stats.linesReceived++;
    const parsed = parseReply(raw);
    if (!parsed.ok) {
      if (raw.trim() !== '') this.#stats.dropped++;
      return;
    }
    const reply = parsed.reply;
    const at = this.clock.now();
    if (reply.type === 'T') {
      const t = reply.temps;
      const sample = (v: number | null) => (v === null ? null : { value: v, at });
      this.#samples = { beer: sample(t.beer), fridge: sample(t.fridge), room: sample(t.room) };
      const state = stateName(t.state);
      this.#boardState = {
        at,
        state,
        outputs: outputsOf(state),
        beerSetC: t.beerSet,
        fridgeSetC: t.fridgeSet,
      };
    } else if (reply.type === 'S') {
      this.#settings = reply.settings;
      if (c.ready) this.#reconcile();
    } else if (reply.type === 'other') {
      return;
    }
    const waiting = c.waiters.get(reply.type);
    if (waiting !== undefined) for (const deliver of [...waiting]) deliver(reply);
  }

  protected forgotten(): void {
    this.#samples = { beer: null, fridge: null, room: null };
    this.#boardState = null;
    this.#settings = null;
    this.#vetoSince = null;
  }
}

function setpointOf(t: BrewPiTarget): number | null {
  return t.mode === 'o' ? null : t.mode === 'f' ? t.fridgeSetC : t.beerSetC;
}

function sameTarget(a: BrewPiTarget, b: BrewPiTarget): boolean {
  if (a.mode !== b.mode) return false;
  if ((a.mode === 'b' || a.mode === 'p') && (b.mode === 'b' || b.mode === 'p'))
    return close(a.beerSetC, b.beerSetC);
  if (a.mode === 'f' && b.mode === 'f') return close(a.fridgeSetC, b.fridgeSetC);
  return true;
}

function matches(s: Settings, want: BrewPiTarget): boolean {
  if (s.mode !== want.mode) return false;
  if (want.mode === 'b' || want.mode === 'p') return close(s.beerSet, want.beerSetC);
  if (want.mode === 'f') return close(s.fridgeSet, want.fridgeSetC);
  return true;
}
