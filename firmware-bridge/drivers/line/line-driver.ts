// The host side of cobrew line protocol v1 (docs/board-protocol.md) over serialport 13: identifies the
// board, keeps its heartbeat, maps its sensor readings to probes, sends the guard's outputs and tracks the
// board's answers, and survives an unplugged cable by reconnecting to the same path.
import { ReadlineParser } from 'serialport';
import type { Clock } from '../../../common/clock.js';
import type { Outputs, Probe, SensorFrame, SensorSample } from '../../types.js';
import type { BoardDriver, BoardIdentity, BoardResetEvent, DriverEvent, ResetSign } from '../driver.js';
import { ResetHold } from '../reset-hold.js';
import { closeLink, openSerialPort, type SerialLink } from '../serial/open.js';
import { type BackoffOptions, DEFAULT_BACKOFF, Reconnector } from '../serial/reconnect.js';
import { systemTimers, type Timers } from '../serial/timers.js';
import { type DropReason, decodeLine, framesLost } from './codec.js';
import {
  BoardGoneError,
  BoardLimitsRefusedError,
  BoardNoAnswerError,
  BoardNoHelloError,
  BoardProtocolError,
  DriverAlreadyOpenError,
} from './errors.js';
import {
  type BoardLimits,
  type BoardMessage,
  type Hello,
  PROTOCOL_VERSION,
  parseBoardMessage,
  ST_FLAGS,
} from './messages.js';
import { normaliseRom } from './rom.js';
import { Session } from './session.js';

export const LINE_BAUD_RATE = 57600;

/** OneWire ROM code of each probe's sensor, e.g. `{ beer: '28FF4A1B2C3D045A' }`. */
export type ProbeRoms = Partial<Record<Probe, string>>;

export interface LineDriverOptions {
  path: string;
  baudRate?: number;
  probes: ProbeRoms;
  /** Limits to tighten on the board with CFG after every HELLO; the firmware's compiled ones otherwise. */
  limits?: BoardLimits;
  clock: Clock;
  timers?: Timers;
  /** Opens the port; tests pass one that opens a SerialPortMock. */
  openPort?: (path: string, baudRate: number) => Promise<SerialLink>;
  /** Give up on HELLO after this long (opening resets an Uno, whose bootloader takes a second or two). */
  helloTimeoutMs?: number;
  helloRetryMs?: number;
  /** How long a command may wait for its ACK or NAK. */
  ackTimeoutMs?: number;
  scanTimeoutMs?: number;
  reconnect?: BackoffOptions;
}

/** What became of the last OUT: the guard's side sees refusals and silence here and in `output-ack` events. */
export type OutputAck =
  | { result: 'ack'; at: number; outputs: Outputs }
  | { result: 'nak'; at: number; outputs: Outputs; reason: string }
  | { result: 'missing'; at: number; outputs: Outputs };

/** What the line protocol tells beyond the lifecycle every driver reports (`onBoardEvent`). */
export type LineBoardEvent =
  | { type: 'output-ack'; at: number; ack: OutputAck }
  /** The board's own failsafe acted (FS): HB_TIMEOUT, MAXON_HEAT, MAXON_COOL or INTERLOCK. */
  | { type: 'failsafe'; at: number; reason: string }
  /** The board reset (HELLO unasked, or BOOT in a status line): its outputs stay off until the guard decides. */
  | BoardResetEvent
  | { type: 'reconnect-failed'; at: number; error: string; nextDelayMs: number };

export interface LineStats {
  framesReceived: number;
  /** Lines dropped unread, by reason. */
  dropped: Record<DropReason | 'unknown-type' | 'bad-fields', number>;
  /** Board frames missing from its sequence numbers. */
  framesLost: number;
  /** Commands the board did not answer in time. */
  missingAnswers: number;
}

type State = 'closed' | 'opening' | 'online' | 'reconnecting' | 'closing';

/** ST flags that only an OUT clears: heartbeat timeout and max on-time cuts. */
const LATCHED = ST_FLAGS.HB_TIMEOUT | ST_FLAGS.MAXON_HEAT | ST_FLAGS.MAXON_COOL | ST_FLAGS.OVERTEMP;
const OFF: Readonly<Outputs> = Object.freeze({ heat: false, cool: false });
const same = (a: Outputs | null, b: Outputs | null) =>
  a !== null && b !== null && a.heat === b.heat && a.cool === b.cool;

export class LineDriver implements BoardDriver {
  readonly kind = 'cobrew-line';
  readonly path: string;
  readonly baudRate: number;
  readonly outputs = { write: (o: Outputs) => this.#write(o) };
  readonly #clock: Clock;
  readonly #timers: Timers;
  readonly #openPort: (path: string, baudRate: number) => Promise<SerialLink>;
  readonly #probes: ProbeRoms;
  readonly #limits: BoardLimits | undefined;
  readonly #helloTimeoutMs: number;
  readonly #helloRetryMs: number;
  readonly #ackTimeoutMs: number;
  readonly #scanTimeoutMs: number;
  readonly #reconnector: Reconnector;
  readonly #listeners = new Set<(e: DriverEvent) => void>();
  readonly #boardListeners = new Set<(e: LineBoardEvent) => void>();
  readonly #samples = new Map<string, SensorSample>();
  #state: State = 'closed';
  #session: Session | null = null;
  #identity: BoardIdentity | null = null;
  #hello: Hello | null = null;
  /** What the guard last wrote: re-asserted after a reconnect; after a board reset, off until `#hold` lets go. */
  #desired: Outputs = { ...OFF };
  readonly #hold = new ResetHold();
  /** The board accepted an OUT since it last booted, so BOOT in a status line means it booted again. */
  #acceptedSinceBoot = false;
  /** The board refuses cooling until then (its minimum off-time counts from its boot): not asked before. */
  #coolFrom = Number.NEGATIVE_INFINITY;
  /** When the guard last wrote: heartbeats prove its loop runs, so they stop when it stops writing. */
  #lastWriteAt: number | null = null;
  /** What the board last acknowledged or reported; null when unknown. */
  #acked: Outputs | null = null;
  #inFlight: Outputs | null = null;
  /** Outputs last refused or unanswered: retried at the heartbeat, not on every guard write. */
  #refused: Outputs | null = null;
  #lastOutputAck: OutputAck | null = null;
  #lastFailsafe: { at: number; reason: string } | null = null;
  #boardStatus: { at: number; outputs: Outputs; flags: number } | null = null;
  readonly #stats: LineStats = {
    framesReceived: 0,
    dropped: { oversize: 0, 'bad-char': 0, syntax: 0, crc: 0, 'unknown-type': 0, 'bad-fields': 0 },
    framesLost: 0,
    missingAnswers: 0,
  };

  constructor(opts: LineDriverOptions) {
    this.path = opts.path;
    this.baudRate = opts.baudRate ?? LINE_BAUD_RATE;
    this.#clock = opts.clock;
    this.#timers = opts.timers ?? systemTimers;
    this.#openPort = opts.openPort ?? openSerialPort;
    this.#probes = Object.fromEntries(
      Object.entries(opts.probes).map(([probe, rom]) => [probe, normaliseRom(probe, rom)]),
    );
    this.#limits = opts.limits;
    this.#helloTimeoutMs = opts.helloTimeoutMs ?? 5000;
    this.#helloRetryMs = opts.helloRetryMs ?? 1000;
    this.#ackTimeoutMs = opts.ackTimeoutMs ?? 500;
    this.#scanTimeoutMs = opts.scanTimeoutMs ?? 3000;
    this.#reconnector = new Reconnector(
      this.#timers,
      opts.reconnect ?? DEFAULT_BACKOFF,
      () => this.#reconnect(),
      (err, nextDelayMs) =>
        this.#tell({
          type: 'reconnect-failed',
          at: this.#clock.now(),
          error: (err as Error).message,
          nextDelayMs,
        }),
    );
  }

  get identity(): BoardIdentity | null {
    return this.#identity;
  }

  get connected(): boolean {
    return this.#state === 'online';
  }

  /** The board's limits in force (HELLO, or the CFG acknowledgement). */
  get boardLimits(): BoardLimits | null {
    return this.#hello;
  }

  get lastOutputAck(): OutputAck | null {
    return this.#lastOutputAck;
  }

  get lastFailsafe(): { at: number; reason: string } | null {
    return this.#lastFailsafe;
  }

  /** The latest ST: the outputs the board drives and its failsafe flags (ST_FLAGS). */
  get boardStatus(): { at: number; outputs: Outputs; flags: number } | null {
    return this.#boardStatus;
  }

  get stats(): Readonly<LineStats> {
    return this.#stats;
  }

  onEvent(listener: (event: DriverEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Output acknowledgements, the board's failsafe, board resets and failed reconnection attempts. */
  onBoardEvent(listener: (event: LineBoardEvent) => void): () => void {
    this.#boardListeners.add(listener);
    return () => this.#boardListeners.delete(listener);
  }

  async open(): Promise<BoardIdentity> {
    if (this.#state !== 'closed') throw new DriverAlreadyOpenError(this.path);
    this.#state = 'opening';
    try {
      const identity = await this.#connect();
      this.#state = 'online';
      this.#emit({ type: 'identified', at: this.#clock.now(), identity });
      return identity;
    } catch (err) {
      this.#state = 'closed';
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    this.#state = 'closing';
    this.#reconnector.stop();
    this.#desired = { ...OFF };
    const s = this.#session;
    if (s !== null) {
      if (s.ready) await this.#request(s, { type: 'OUT', outputs: OFF });
      this.#drop(s);
      await closeLink(s.link);
    }
    this.#state = 'closed';
  }

  read(): SensorFrame {
    const at = this.#clock.now();
    const sample = (p: Probe) => {
      const rom = this.#probes[p];
      return this.connected && rom !== undefined ? (this.#samples.get(rom) ?? null) : null;
    };
    return { at, beer: sample('beer'), chamber: sample('chamber'), ambient: sample('ambient') };
  }

  #write(o: Outputs): void {
    this.#lastWriteAt = this.#clock.now();
    this.#desired = this.#hold.pass(o);
    const want = this.#wanted();
    const s = this.#session;
    if (s?.ready && this.#inFlight === null && !same(this.#acked, want) && !same(this.#refused, want)) {
      void this.#sendOut(s);
    }
  }

  #emit(event: DriverEvent): void {
    for (const l of this.#listeners) l(event);
  }

  #tell(event: LineBoardEvent): void {
    for (const l of this.#boardListeners) l(event);
  }

  async #reconnect(): Promise<void> {
    const identity = await this.#connect();
    this.#state = 'online';
    this.#emit({ type: 'reconnected', at: this.#clock.now(), identity });
  }

  /** Opens the port and identifies the board; on any failure the port is closed again before throwing. */
  async #connect(): Promise<BoardIdentity> {
    const link = await this.#openPort(this.path, this.baudRate);
    if (this.#state === 'closing' || this.#state === 'closed') {
      // close() ran while the port was opening: hand it straight back.
      await closeLink(link);
      throw new BoardGoneError(this.path);
    }
    const s = new Session(link, this.#timers);
    this.#session = s;
    link.on('error', () => {
      // A failed write or read: serialport closes a disconnected port itself, and 'close' handles that.
    });
    link.on('close', (err: Error | null) => this.#onClose(s, err));
    const lines = link.pipe(new ReadlineParser({ delimiter: '\n', encoding: 'latin1' }));
    lines.on('data', (line: string) => this.#onLine(s, line));
    try {
      let hello = await this.#awaitHello(s);
      if (this.#limits !== undefined) hello = { ...hello, ...(await this.#configure(s, this.#limits)) };
      const sensors = await this.#scan(s);
      this.#hello = hello;
      this.#boardBooted(hello);
      this.#identity = {
        firmware: hello.firmware,
        version: hello.version,
        profile: hello.profile,
        resetCause: hello.resetCause,
        sensors,
        ...(hello.brownOutMv === undefined ? {} : { brownOutMv: hello.brownOutMv }),
      };
      s.ready = true;
      this.#acked = null;
      this.#acceptedSinceBoot = false;
      this.#refused = null;
      this.#heartbeat(s, Math.floor((hello.heartbeatTimeoutS * 1000) / 4));
      void this.#sendOut(s);
      return this.#identity;
    } catch (err) {
      this.#drop(s);
      await closeLink(link);
      throw err;
    }
  }

  /** Forgets a session: its waiters give up, its timers stop, and nothing it receives is acted on. */
  #drop(s: Session): void {
    s.close();
    if (this.#session === s) this.#session = null;
    this.#inFlight = null;
    this.#acked = null;
    this.#boardStatus = null;
    this.#samples.clear();
  }

  #onClose(s: Session, err: Error | null): void {
    if (s.closed) return;
    const wasReady = s.ready;
    this.#drop(s);
    if (!wasReady || this.#state !== 'online') return;
    this.#state = 'reconnecting';
    const reason = err?.message ?? 'port closed';
    this.#emit({ type: 'disconnected', at: this.#clock.now(), reason });
    this.#reconnector.start();
  }

  async #awaitHello(s: Session): Promise<Hello> {
    let cancelRetry = () => {};
    const ask = () => {
      s.send({ type: 'HELLO?' });
      s.helloAskedAt = this.#clock.now();
      cancelRetry = this.#timers.after(this.#helloRetryMs, ask);
    };
    const got = await s.wait<BoardMessage & { type: 'HELLO' }>(this.#helloTimeoutMs, (done) => {
      s.helloWaiter = done;
      ask();
    });
    cancelRetry();
    s.helloWaiter = null;
    if (s.closed) throw new BoardGoneError(this.path);
    if (got === null) throw new BoardNoHelloError(this.path, this.baudRate, this.#helloTimeoutMs);
    if (got.hello === null) throw new BoardProtocolError(this.path, got.protocol, PROTOCOL_VERSION);
    return got.hello;
  }

  async #configure(s: Session, limits: BoardLimits): Promise<BoardLimits> {
    const answer = await this.#request(s, { type: 'CFG', limits });
    if (s.closed) throw new BoardGoneError(this.path);
    if (answer === null) throw new BoardNoAnswerError(this.path, 'CFG', this.#ackTimeoutMs);
    if (answer.type === 'NAK') {
      const asked = `${limits.heartbeatTimeoutS}/${limits.maxOnHeatS}/${limits.maxOnCoolS} s`;
      throw new BoardLimitsRefusedError(this.path, asked, answer.reason);
    }
    const [hb, heat, cool] = answer.detail.map(Number);
    return Number.isInteger(hb) && Number.isInteger(heat) && Number.isInteger(cool)
      ? { heartbeatTimeoutS: hb as number, maxOnHeatS: heat as number, maxOnCoolS: cool as number }
      : limits;
  }

  async #scan(s: Session): Promise<string[]> {
    const roms: string[] = [];
    const ended = s.wait<number>(this.#scanTimeoutMs, (done) => {
      s.scan = { roms, done };
    });
    const answer = await this.#request(s, { type: 'SCAN' });
    const count = answer?.type === 'ACK' ? await ended : null;
    s.scan = null;
    if (s.closed) throw new BoardGoneError(this.path);
    if (count === null) throw new BoardNoAnswerError(this.path, 'SCAN', this.#scanTimeoutMs);
    return roms;
  }

  /** Sends a command and waits for its ACK or NAK; null when none came in time. */
  async #request(
    s: Session,
    cmd: Parameters<Session['send']>[0],
  ): Promise<(BoardMessage & { type: 'ACK' | 'NAK' }) | null> {
    const answer = await s.request(cmd, this.#ackTimeoutMs);
    if (answer === null && !s.closed) this.#stats.missingAnswers++;
    return answer;
  }

  /**
   * HB at a quarter of the board's timeout, or OUT in its place while the board's outputs are not the guard's.
   * Neither while the guard has not written for two periods: a stalled control loop (whose timers may still
   * fire) then lets the board's own failsafe act.
   */
  #heartbeat(s: Session, periodMs: number): void {
    s.every(periodMs, () => {
      if (this.#inFlight !== null) return;
      const last = this.#lastWriteAt;
      if (last !== null && this.#clock.now() - last > 2 * periodMs) return;
      if (!same(this.#acked, this.#wanted())) void this.#sendOut(s);
      else void this.#request(s, { type: 'HB' });
    });
  }

  /** The guard's outputs, without cooling while the board would refuse it after its boot. */
  #wanted(): Outputs {
    const d = this.#desired;
    return { heat: d.heat, cool: d.cool && this.#clock.now() >= this.#coolFrom };
  }

  /** The board (re)started now: it refuses cooling for its compiled minimum off-time. */
  #boardBooted(hello: Hello | null): void {
    this.#coolFrom = this.#clock.now() + (hello?.protection?.minOffCoolS ?? 0) * 1000;
  }

  async #sendOut(s: Session): Promise<void> {
    const outputs = this.#wanted();
    this.#inFlight = outputs;
    const answer = await this.#request(s, { type: 'OUT', outputs });
    if (s.closed) return;
    this.#inFlight = null;
    const at = this.#clock.now();
    let ack: OutputAck;
    if (answer === null) ack = { result: 'missing', at, outputs };
    else if (answer.type === 'NAK') ack = { result: 'nak', at, outputs, reason: answer.reason };
    else {
      const [heat, cool] = answer.detail;
      this.#acked = heat === undefined ? outputs : { heat: heat === '1', cool: cool === '1' };
      this.#acceptedSinceBoot = true;
      ack = { result: 'ack', at, outputs };
    }
    this.#refused = ack.result === 'ack' ? null : outputs;
    this.#lastOutputAck = ack;
    this.#tell({ type: 'output-ack', at, ack });
    // The guard wrote something else while this OUT was on its way.
    if (ack.result === 'ack' && same(this.#acked, outputs) && !same(outputs, this.#wanted())) {
      void this.#sendOut(s);
    }
  }

  #onLine(s: Session, raw: string): void {
    if (s.closed) return;
    const decoded = decodeLine(raw);
    if (decoded.kind === 'dropped') {
      this.#stats.dropped[decoded.reason]++;
      return;
    }
    if (decoded.kind === 'comment') return;
    const { frame } = decoded;
    this.#stats.framesReceived++;
    this.#stats.framesLost += framesLost(s.lastBoardSeq, frame.seq);
    s.lastBoardSeq = frame.seq;
    const parsed = parseBoardMessage(frame);
    if (!parsed.ok) {
      this.#stats.dropped[parsed.reason]++;
      return;
    }
    this.#onMessage(s, parsed.message);
  }

  #onMessage(s: Session, m: BoardMessage): void {
    const at = this.#clock.now();
    switch (m.type) {
      case 'T':
        // ERR becomes the DS18B20 libraries' "disconnected" value, which the guard already judges.
        this.#samples.set(m.rom, { value: m.milliC === null ? -127 : m.milliC / 1000, at });
        return;
      case 'ACK':
      case 'NAK':
        s.answer(m);
        return;
      case 'SENSOR':
        s.scan?.roms.push(m.rom);
        return;
      case 'SCANEND':
        s.scan?.done(m.count);
        return;
      case 'ST':
        this.#boardStatus = { at, outputs: m.outputs, flags: m.flags };
        // Only an accepted OUT clears BOOT: seen again after one, the board restarted and its HELLO was lost.
        if (s.ready && m.flags & ST_FLAGS.BOOT && this.#acceptedSinceBoot) {
          this.#onBoardReset(s, 'unknown', 'boot-flag');
          return;
        }
        // The board's own word wins over what we believe it applied, unless an OUT is still on its way. A
        // latched failsafe flag is cleared only by an OUT, so the outputs count as unknown until one is sent.
        if (s.ready && this.#inFlight === null) this.#acked = m.flags & LATCHED ? null : m.outputs;
        return;
      case 'FS':
        this.#lastFailsafe = { at, reason: m.reason };
        this.#acked = null;
        this.#tell({ type: 'failsafe', at, reason: m.reason });
        return;
      case 'HELLO':
        if (s.helloWaiter !== null) s.helloWaiter(m);
        else if (s.ready && m.hello !== null && !this.#answersHelloAsk(s, at)) {
          this.#hello = m.hello;
          this.#onBoardReset(s, m.hello.resetCause, 'hello');
        }
        return;
    }
  }

  /**
   * The boot HELLO may answer our wait before the board answers the HELLO? it heard: a HELLO within the
   * answer time of our last HELLO? is that answer, not a reset.
   */
  #answersHelloAsk(s: Session, at: number): boolean {
    return s.helloAskedAt !== null && at - s.helloAskedAt <= this.#ackTimeoutMs;
  }

  /**
   * The board reset, so its outputs are off: keep them off until the guard has decided again (the session
   * tells it, it writes all-off), tighten the board's limits again, and clear BOOT with an all-off OUT so a
   * later reset shows again.
   */
  #onBoardReset(s: Session, cause: string, sign: ResetSign): void {
    const identity = this.#identity;
    if (identity === null) return;
    this.#identity = { ...identity, resetCause: cause };
    this.#hold.hold();
    this.#boardBooted(this.#hello);
    this.#desired = { ...OFF };
    this.#acked = null;
    this.#refused = null;
    this.#acceptedSinceBoot = false;
    this.#tell({ type: 'board-reset', at: this.#clock.now(), identity: this.#identity, sign });
    const limits = this.#limits;
    if (limits !== undefined) {
      void this.#configure(s, limits).then(
        (inForce) => {
          if (this.#hello !== null) this.#hello = { ...this.#hello, ...inForce };
        },
        () => {
          // Refused or unanswered: the board keeps its compiled limits, which it reported in its HELLO.
        },
      );
    }
    if (this.#inFlight === null) void this.#sendOut(s);
  }
}
