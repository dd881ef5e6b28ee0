// The messages of cobrew line protocol v1 (docs/board-protocol.md §3–4): host commands to frames, board
// frames to typed messages. Anything that does not fit is refused with a reason and never acted on.
import type { Outputs } from '../../types.js';
import { crc8, encodeFrame, type Frame } from './codec.js';

export const PROTOCOL_VERSION = 1;

/** Limits the board enforces itself, in seconds: reported in HELLO, tightened by CFG. */
export interface BoardLimits {
  heartbeatTimeoutS: number;
  maxOnHeatS: number;
  maxOnCoolS: number;
}

/** Compressor protection the board enforces whatever the host asks (HELLO's trailing fields), in seconds. */
export interface BoardProtection {
  minOffCoolS: number;
  minOnCoolS: number;
  deadS: number;
}

export interface Hello extends BoardLimits {
  firmware: string;
  version: string;
  profile: string;
  resetCause: string;
  /** Absent from firmware that enforces none. */
  protection?: BoardProtection;
  /** The brown-out detector's level from the fuses, mV (0: disabled); absent from older firmware. */
  brownOutMv?: number;
}

/** ST flag bits. */
export const ST_FLAGS = {
  HB_TIMEOUT: 0x01,
  MAXON_HEAT: 0x02,
  MAXON_COOL: 0x04,
  BOOT: 0x08,
  /** A probe read above the board's compiled over-temperature limit: heat cut and refused. */
  OVERTEMP: 0x10,
} as const;

export type HostCommand =
  | { type: 'HELLO?' }
  | { type: 'HB' }
  | { type: 'SCAN' }
  | { type: 'OUT'; outputs: Outputs }
  | { type: 'CFG'; limits: BoardLimits };

export type BoardMessage =
  /** `hello` is null when the board speaks another protocol version than ours. */
  | { type: 'HELLO'; protocol: number; hello: Hello | null }
  | { type: 'ACK'; hostSeq: number; detail: string[] }
  | { type: 'NAK'; hostSeq: number; reason: string }
  /** `milliC` null: the board could not read the sensor (`ERR`). */
  | { type: 'T'; rom: string; milliC: number | null }
  | { type: 'SENSOR'; rom: string }
  | { type: 'SCANEND'; count: number }
  | { type: 'ST'; outputs: Outputs; flags: number }
  | { type: 'FS'; reason: string };

export type Parsed =
  | { ok: true; message: BoardMessage }
  | { ok: false; reason: 'unknown-type' | 'bad-fields'; detail: string };

export function encodeCommand(seq: number, cmd: HostCommand): string {
  switch (cmd.type) {
    case 'OUT':
      return encodeFrame(seq, 'OUT', [bit(cmd.outputs.heat), bit(cmd.outputs.cool)]);
    case 'CFG': {
      const l = cmd.limits;
      return encodeFrame(seq, 'CFG', [l.heartbeatTimeoutS, l.maxOnHeatS, l.maxOnCoolS]);
    }
    default:
      return encodeFrame(seq, cmd.type);
  }
}

const bit = (on: boolean) => (on ? 1 : 0);

const UINT = /^(0|[1-9][0-9]{0,9})$/;
const INT = /^(0|-?[1-9][0-9]{0,9})$/;
const ROM = /^[0-9A-F]{16}$/;
const HEX2 = /^[0-9A-F]{2}$/;

class BadFields extends Error {}

function need(fields: readonly string[], n: number, what: string): void {
  if (fields.length < n) throw new BadFields(`${what} needs ${n} fields, got ${fields.length}`);
}

function uint(text: string | undefined, what: string): number {
  if (text === undefined || !UINT.test(text)) throw new BadFields(`${what} is not a whole number: ${text}`);
  return Number(text);
}

function flag(text: string | undefined, what: string): boolean {
  if (text !== '0' && text !== '1') throw new BadFields(`${what} is not 0 or 1: ${text}`);
  return text === '1';
}

/** A OneWire ROM code: 16 hex digits, family code first, its last byte the CRC of the other seven. */
export function validRom(rom: string): boolean {
  if (!ROM.test(rom)) return false;
  const bytes = String.fromCharCode(
    ...Array.from({ length: 7 }, (_, i) => Number.parseInt(rom.slice(2 * i, 2 * i + 2), 16)),
  );
  return crc8(bytes) === Number.parseInt(rom.slice(14), 16);
}

function rom(text: string | undefined): string {
  if (text === undefined || !validRom(text))
    throw new BadFields(`not a OneWire ROM code with a valid CRC: ${text}`);
  return text;
}

/** The message a frame carries; null for a type this version does not know. */
function parseFields(f: Frame): BoardMessage | null {
  const [a, b, c, d, e, g, h, i, j, k, l, m] = f.fields;
  switch (f.type) {
    case 'HELLO': {
      need(f.fields, 1, 'HELLO');
      const protocol = uint(a, 'protocol');
      if (protocol !== PROTOCOL_VERSION) return { type: 'HELLO', protocol, hello: null };
      need(f.fields, 8, 'HELLO');
      const hello: Hello = {
        firmware: b ?? '',
        version: c ?? '',
        profile: d ?? '',
        resetCause: e ?? '',
        heartbeatTimeoutS: uint(g, 'heartbeat timeout'),
        maxOnHeatS: uint(h, 'heat max on-time'),
        maxOnCoolS: uint(i, 'cool max on-time'),
      };
      if (l !== undefined) {
        const minOffCoolS = uint(j, 'cool min off-time');
        hello.protection = {
          minOffCoolS,
          minOnCoolS: uint(k, 'cool min on-time'),
          deadS: uint(l, 'dead time'),
        };
      }
      if (m !== undefined) hello.brownOutMv = uint(m, 'brown-out level');
      return { type: 'HELLO', protocol, hello };
    }
    case 'ACK':
      need(f.fields, 1, 'ACK');
      return { type: 'ACK', hostSeq: seqField(a), detail: f.fields.slice(1) };
    case 'NAK':
      need(f.fields, 2, 'NAK');
      return { type: 'NAK', hostSeq: seqField(a), reason: b ?? '' };
    case 'T': {
      need(f.fields, 2, 'T');
      if (b === 'ERR') return { type: 'T', rom: rom(a), milliC: null };
      if (b === undefined || !INT.test(b))
        throw new BadFields(`temperature is not milli-degrees or ERR: ${b}`);
      return { type: 'T', rom: rom(a), milliC: Number(b) };
    }
    case 'SENSOR':
      need(f.fields, 1, 'SENSOR');
      return { type: 'SENSOR', rom: rom(a) };
    case 'SCANEND':
      need(f.fields, 1, 'SCANEND');
      return { type: 'SCANEND', count: uint(a, 'sensor count') };
    case 'ST':
      need(f.fields, 3, 'ST');
      if (c === undefined || !HEX2.test(c)) throw new BadFields(`flags are not two hex digits: ${c}`);
      return {
        type: 'ST',
        outputs: { heat: flag(a, 'heat'), cool: flag(b, 'cool') },
        flags: Number.parseInt(c, 16),
      };
    case 'FS':
      need(f.fields, 1, 'FS');
      return { type: 'FS', reason: a ?? '' };
    default:
      return null;
  }
}

function seqField(text: string | undefined): number {
  const n = uint(text, 'sequence number');
  if (n > 255) throw new BadFields(`sequence number ${n} above 255`);
  return n;
}

/** A board frame as a typed message; unknown types and bad fields are refused, extra trailing fields ignored. */
export function parseBoardMessage(frame: Frame): Parsed {
  try {
    const message = parseFields(frame);
    if (message === null) return { ok: false, reason: 'unknown-type', detail: frame.type };
    return { ok: true, message };
  } catch (err) {
    if (err instanceof BadFields)
      return { ok: false, reason: 'bad-fields', detail: `${frame.type}: ${err.message}` };
    throw err;
  }
}
