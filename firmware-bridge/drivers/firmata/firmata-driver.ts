// An Arduino Uno or Nano running ConfigurableFirmata (relays and DS18B20 probes over OneWire) or
// StandardFirmata (relays only). The port is opened with serialport 13 and handed to firmata-io's Board;
// johnny-five and its serialport 8 are not used (docs/boards-firmata-brewpi.md says why).
import firmataIo from 'firmata-io';
import type { OutputName, Outputs, Probe, SensorFrame, SensorSample } from '../../types.js';
import type { BoardIdentity, BoardResetEvent } from '../driver.js';
import { BoardGoneError, BoardNoAnswerError } from '../line/errors.js';
import type { ProbeRoms } from '../line/line-driver.js';
import { normaliseRom } from '../line/rom.js';
import { ResetHold } from '../reset-hold.js';
import type { SerialLink } from '../serial/open.js';
import {
  FirmataNoAnswerError,
  FirmataNoOneWireError,
  FirmataPinError,
  FirmataSameOutputPinError,
} from './errors.js';
import { Ds18b20Bus, type OneWireIo } from './onewire-bus.js';
import type { Scope } from './scope.js';
import {
  type Connection,
  type ReconnectFailed,
  SerialBoard,
  type SerialBoardOptions,
} from './serial-board.js';

/** What ConfigurableFirmata 3.x runs at, then StandardFirmata and older sketches: tried in this order. */
export const FIRMATA_BAUD_RATES: readonly number[] = [115200, 57600];

/** What the driver needs of a Firmata board: firmata-io's Board, or mock-firmata's in tests. */
export interface FirmataIo extends OneWireIo {
  readonly isReady: boolean;
  readonly MODES: { readonly OUTPUT: number; readonly ONEWIRE: number };
  /** Sketch name and version from REPORT_FIRMWARE. */
  readonly firmware: { name?: string; version?: { major: number; minor: number } };
  readonly pins: ReadonlyArray<{ supportedModes: readonly number[] }>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  removeAllListeners(): unknown;
  pinMode(pin: number, mode: number): void;
  digitalWrite(pin: number, value: number): void;
}

export interface FirmataPins {
  heat: number;
  cool: number;
  /** The DS18B20 bus (ConfigurableFirmata). Absent: relays only, and every probe reads null. */
  oneWire?: number;
}

export interface FirmataDriverOptions extends Omit<SerialBoardOptions, 'baudRate' | 'fallbackBaudRates'> {
  /** The sketch's rate; without it 115200, then 57600, are tried. */
  baudRate?: number;
  /** DS18B20s powered from the data line: the line is held high while they convert, and the wait is longer. */
  parasitePower?: boolean;
  pins: FirmataPins;
  /** Relay modules that switch on at LOW (most opto-isolated boards). Default: on at HIGH. */
  activeLow?: boolean;
  /** OneWire ROM code of each probe's DS18B20. */
  probes: ProbeRoms;
  /** Board profile id from the configuration (Firmata boards cannot tell their own). */
  profile: string;
  /** Builds the Firmata board on an open port; tests pass mock-firmata. */
  createIo?: (link: SerialLink) => FirmataIo;
  /** Give up on the handshake after this long (opening resets an Uno; its bootloader takes about 2 s). */
  handshakeTimeoutMs?: number;
  /** How long one OneWire request may wait for its reply. */
  answerMs?: number;
  /** One probe sample (all probes) this often at most; a sample takes at least the 750 ms conversion. */
  samplePeriodMs?: number;
}

/** What Firmata boards tell beyond the lifecycle every driver reports. */
export type FirmataBoardEvent =
  /** The board sent REPORT_VERSION unasked: it reset; its pins are set up again, off until the guard decides. */
  BoardResetEvent | ReconnectFailed;

export interface FirmataStats {
  samples: number;
  /** Scratchpads rejected: bad CRC, or a blank (shorted or open) bus. Reported as −127. */
  badScratchpads: number;
  /** OneWire reads the board did not answer in time (the probe's last sample ages). */
  missingAnswers: number;
  /** Writes asking for heat and cool together, applied as all off. */
  interlockRefusals: number;
}

/** Builds firmata-io's Board on an open serialport 13 port. */
export function createFirmataIo(link: SerialLink): FirmataIo {
  // REPORT_VERSION is asked for after 2 s when the board did not send it at boot (no reset on open).
  return new firmataIo.Firmata(link, { reportVersionTimeout: 2000 });
}

interface FirmataConnection extends Connection {
  readonly io: FirmataIo;
  bus: Ds18b20Bus | null;
}

const OFF: Readonly<Outputs> = Object.freeze({ heat: false, cool: false });
const OUTPUT_NAMES: readonly OutputName[] = ['heat', 'cool'];
const PROBES: readonly Probe[] = ['beer', 'chamber', 'ambient'];

export class FirmataDriver extends SerialBoard<FirmataConnection, FirmataBoardEvent> {
  readonly kind = 'firmata';
  readonly outputs = { write: (o: Outputs) => this.#write(o) };
  readonly #opts: FirmataDriverOptions;
  readonly #probes: ProbeRoms;
  readonly #samples = new Map<string, SensorSample>();
  /** What the guard last wrote: re-asserted after a reconnect; after a board reset, off until `#hold` lets go. */
  #desired: Outputs = { ...OFF };
  readonly #hold = new ResetHold();
  /** What was last written to the pins on this connection; null forces a full write. */
  #written: Outputs | null = null;
  readonly #stats: FirmataStats = { samples: 0, badScratchpads: 0, missingAnswers: 0, interlockRefusals: 0 };

  constructor(opts: FirmataDriverOptions) {
    const [first, ...rest] = opts.baudRate === undefined ? FIRMATA_BAUD_RATES : [opts.baudRate];
    super({ ...opts, baudRate: first as number, fallbackBaudRates: rest });
    const { heat, cool, oneWire } = opts.pins;
    const used = [heat, cool, ...(oneWire === undefined ? [] : [oneWire])];
    const twice = used.find((p, i) => used.indexOf(p) !== i);
    if (twice !== undefined) throw new FirmataSameOutputPinError(twice);
    this.#opts = opts;
    this.#probes = Object.fromEntries(
      Object.entries(opts.probes).map(([probe, rom]) => [probe, normaliseRom(probe, rom)]),
    );
  }

  get stats(): Readonly<FirmataStats> {
    return this.#stats;
  }

  read(): SensorFrame {
    const sample = (p: Probe) => {
      const rom = this.#probes[p];
      return this.connected && rom !== undefined ? (this.#samples.get(rom) ?? null) : null;
    };
    return {
      at: this.clock.now(),
      beer: sample('beer'),
      chamber: sample('chamber'),
      ambient: sample('ambient'),
    };
  }

  #write(o: Outputs): void {
    // The guard never asks for both; a relay board must not get it from anyone.
    if (o.heat && o.cool) this.#stats.interlockRefusals++;
    this.#desired = o.heat && o.cool ? { ...OFF } : this.#hold.pass(o);
    const c = this.live;
    if (c !== null) this.#apply(c);
  }

  /** Writes the desired outputs to the pins that differ from what was written, the ones going off first. */
  #apply(c: FirmataConnection): void {
    const want = this.#desired;
    const order = [...OUTPUT_NAMES].sort((a, b) => Number(want[a]) - Number(want[b]));
    for (const o of order) {
      if (this.#written?.[o] !== want[o]) c.io.digitalWrite(this.#opts.pins[o], this.#level(want[o]));
    }
    this.#written = { ...want };
  }

  #level(on: boolean): number {
    return on !== (this.#opts.activeLow ?? false) ? 1 : 0;
  }

  /** Output pins off, then outputs (the off level first, so an active-low relay does not click on). */
  #setUpPins(c: FirmataConnection): void {
    for (const o of OUTPUT_NAMES) {
      const pin = this.#opts.pins[o];
      c.io.digitalWrite(pin, this.#level(false));
      c.io.pinMode(pin, c.io.MODES.OUTPUT);
    }
    this.#written = { ...OFF };
    c.bus?.configure();
    this.#apply(c);
  }

  protected connection(link: SerialLink, scope: Scope): FirmataConnection {
    const io = (this.#opts.createIo ?? createFirmataIo)(link);
    // firmata-io re-emits port errors; 'close' is what tells a lost board.
    io.on('error', () => {});
    return { link, scope, io, bus: null, ready: false };
  }

  protected async identify(c: FirmataConnection): Promise<BoardIdentity> {
    const timeoutMs = this.#opts.handshakeTimeoutMs ?? 10_000;
    const ready = await c.scope.within<true>(timeoutMs, (deliver) => {
      if (c.io.isReady) deliver(true);
      else c.io.once('ready', () => deliver(true));
    });
    if (c.scope.ended) throw new BoardGoneError(this.path);
    if (ready === null) throw new FirmataNoAnswerError(this.path, this.baudRates.join(' and '), timeoutMs);
    const name = (c.io.firmware.name ?? 'Firmata').replace(/\.ino$/i, '');
    const v = c.io.firmware.version;
    for (const o of OUTPUT_NAMES) this.#checkPin(c, this.#opts.pins[o], c.io.MODES.OUTPUT, o);
    const oneWire = this.#opts.pins.oneWire;
    let sensors: string[] = [];
    if (oneWire !== undefined) {
      if (!(c.io.pins[oneWire]?.supportedModes.includes(c.io.MODES.ONEWIRE) ?? false)) {
        throw new FirmataNoOneWireError(this.path, name, oneWire);
      }
      const answerMs = this.#opts.answerMs ?? 1000;
      c.bus = new Ds18b20Bus(c.io, oneWire, c.scope, answerMs, this.#opts.parasitePower ?? false);
      c.bus.configure();
      const found = await c.bus.search();
      if (c.scope.ended) throw new BoardGoneError(this.path);
      if (found === null) throw new BoardNoAnswerError(this.path, 'a OneWire search', answerMs);
      sensors = found;
    }
    return {
      firmware: name,
      version: v === undefined ? 'unknown' : `${v.major}.${v.minor}`,
      profile: this.#opts.profile,
      sensors,
    };
  }

  protected override noAnswer(err: unknown): boolean {
    return err instanceof FirmataNoAnswerError;
  }

  protected started(c: FirmataConnection): void {
    this.#setUpPins(c);
    c.io.on('reportversion', () => this.#onBoardReset(c));
    void this.#sampleLoop(c);
  }

  protected async shutDown(c: FirmataConnection): Promise<void> {
    this.#desired = { ...OFF };
    this.#apply(c);
    // Wait (briefly) until the writes have left, so "all off" reaches the board before the port closes.
    const link = c.link as SerialLink & { drain?: (cb: (err?: Error | null) => void) => void };
    await c.scope.within<true>(this.#opts.answerMs ?? 1000, (deliver) => link.drain?.(() => deliver(true)));
  }

  /** Silences the board object, stops firmata-io's own version timer, and forgets the readings. */
  protected forgotten(c: FirmataConnection): void {
    c.io.removeAllListeners();
    // firmata-io still listens to the port, so an error on the way out must not go unhandled.
    c.io.on('error', () => {});
    const pending = (c.io as { reportVersionTimeoutId?: ReturnType<typeof setTimeout> })
      .reportVersionTimeoutId;
    if (pending !== undefined) clearTimeout(pending);
    this.#written = null;
    this.#samples.clear();
  }

  #checkPin(c: FirmataConnection, pin: number, mode: number, what: string): void {
    if (c.io.pins[pin]?.supportedModes.includes(mode)) return;
    const offered = c.io.pins.flatMap((p, i) => (p.supportedModes.includes(mode) ? [i] : []));
    throw new FirmataPinError(
      this.path,
      pin,
      what,
      offered.length > 0 ? `pins ${offered.join(', ')}` : 'none',
    );
  }

  /** Samples the configured probes for as long as this connection lives. */
  async #sampleLoop(c: FirmataConnection): Promise<void> {
    const bus = c.bus;
    const roms = PROBES.flatMap((p) => this.#probes[p] ?? []);
    const periodMs = this.#opts.samplePeriodMs ?? 1000;
    while (!c.scope.ended) {
      const started = this.clock.now();
      if (bus !== null && roms.length > 0) {
        const results = await bus.sample(roms);
        const at = this.clock.now();
        for (const [rom, r] of results) {
          if (r === null) this.#stats.missingAnswers++;
          else if (r.ok) this.#samples.set(rom, { value: r.celsius, at });
          else {
            // A bad scratchpad is the DS18B20 libraries' "disconnected" value, which the guard judges.
            this.#stats.badScratchpads++;
            this.#samples.set(rom, { value: -127, at });
          }
        }
        if (results.size > 0) this.#stats.samples++;
      }
      const rest = Math.max(0, periodMs - (this.clock.now() - started));
      if (!(await c.scope.sleep(rest))) return;
    }
  }

  /**
   * REPORT_VERSION while online: the sketch restarted (brown-out, watchdog), its pins are inputs again. They
   * are set up off and stay off until the guard has decided again; Firmata cannot tell why it reset.
   */
  #onBoardReset(c: FirmataConnection): void {
    const identity = this.identity;
    if (c.scope.ended || !c.ready || identity === null) return;
    this.#hold.hold();
    this.#desired = { ...OFF };
    this.#setUpPins(c);
    const after = { ...identity, resetCause: 'unknown' };
    this.tell({ type: 'board-reset', at: this.clock.now(), identity: after, sign: 'report-version' });
  }
}
