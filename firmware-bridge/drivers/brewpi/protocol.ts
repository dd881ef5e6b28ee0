// BrewPi legacy (0.2.x) serial protocol, pure: host commands are single letters, settings go as
// `j{key:value, …}` with unquoted keys; the board answers a letter, a colon and JSON (`T:{…}`).
import type { Outputs } from '../../types.js';

export const BREWPI_BAUD_RATE = 57600;

/** b beer constant, f fridge constant, p beer profile (driven by brewpi-script), o off, t test. */
export type BrewPiMode = 'b' | 'f' | 'p' | 'o' | 't';
const MODES: readonly string[] = ['b', 'f', 'p', 'o', 't'];

/** The firmware's control states, in the order of their numbers in `T:` State. */
export const STATE_NAMES = [
  'idle',
  'off',
  'door-open',
  'heating',
  'cooling',
  'waiting-to-cool',
  'waiting-to-heat',
  'waiting-for-peak-detect',
  'cooling-min-time',
  'heating-min-time',
] as const;
export type BrewPiStateName = (typeof STATE_NAMES)[number] | 'unknown';

export function stateName(state: number | null): BrewPiStateName {
  return state !== null && Number.isInteger(state) ? (STATE_NAMES[state] ?? 'unknown') : 'unknown';
}

/** Which relay the board runs in a state: heating and its minimum on-time heat, cooling and its minimum cool. */
export function outputsOf(state: BrewPiStateName): Outputs {
  return {
    heat: state === 'heating' || state === 'heating-min-time',
    cool: state === 'cooling' || state === 'cooling-min-time',
  };
}

export interface Temperatures {
  beer: number | null;
  beerSet: number | null;
  fridge: number | null;
  fridgeSet: number | null;
  room: number | null;
  state: number | null;
}

export interface Settings {
  mode: BrewPiMode;
  beerSet: number | null;
  fridgeSet: number | null;
}

export interface Constants {
  tempFormat: string;
  tempSetMin: number | null;
  tempSetMax: number | null;
}

export type Reply =
  | { type: 'N'; version: string; build: string | null }
  | { type: 'T'; temps: Temperatures }
  | { type: 'S'; settings: Settings }
  | { type: 'C'; constants: Constants }
  | { type: 'V'; variables: Record<string, unknown> }
  /** Installed devices: OneWire addresses of the temperature sensors among them. */
  | { type: 'd'; sensors: string[] }
  | { type: 'L'; lines: string[] }
  /** Log messages and anything else the board says unasked. */
  | { type: 'other'; letter: string };

export type Parsed = { ok: true; reply: Reply } | { ok: false; reason: string };

/** The letter the board answers a command with. */
export const ANSWER = { n: 'N', t: 'T', s: 'S', c: 'C', v: 'V', 'd{}': 'd', l: 'L' } as const;
export type Query = keyof typeof ANSWER;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const record = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

/** JSON as the firmware prints it; some builds use single quotes. */
function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.replace(/'/g, '"'));
  }
}

export function parseReply(raw: string): Parsed {
  const line = raw.replace(/\r$/, '');
  const m = /^([A-Za-z]):(.*)$/.exec(line);
  if (m === null) return { ok: false, reason: 'not a reply' };
  const letter = m[1] as string;
  const body = m[2] as string;
  if (!'NTSCVdL'.includes(letter)) return { ok: true, reply: { type: 'other', letter } };
  let value: unknown;
  try {
    // Early 0.2.x answers `n` with a bare version, e.g. N:0.2.3.
    value = letter === 'N' && /^[0-9][0-9A-Za-z.-]*$/.test(body) ? body : json(body);
  } catch {
    return { ok: false, reason: `${letter}: is not JSON` };
  }
  const reply = toReply(letter, value);
  return reply === null ? { ok: false, reason: `${letter}: lacks its fields` } : { ok: true, reply };
}

function toReply(letter: string, value: unknown): Reply | null {
  const o = record(value);
  switch (letter) {
    case 'N': {
      if (typeof value === 'string') return { type: 'N', version: value, build: null };
      const v = o?.v;
      if (typeof v !== 'string' && typeof v !== 'number') return null;
      return { type: 'N', version: String(v), build: typeof o?.n === 'string' ? o.n : null };
    }
    case 'T':
      if (o === null) return null;
      return {
        type: 'T',
        temps: {
          beer: num(o.BeerTemp),
          beerSet: num(o.BeerSet),
          fridge: num(o.FridgeTemp),
          fridgeSet: num(o.FridgeSet),
          room: num(o.RoomTemp),
          state: num(o.State),
        },
      };
    case 'S': {
      const mode = o?.mode;
      if (o === null || typeof mode !== 'string' || !MODES.includes(mode)) return null;
      return {
        type: 'S',
        settings: { mode: mode as BrewPiMode, beerSet: num(o.beerSet), fridgeSet: num(o.fridgeSet) },
      };
    }
    case 'C':
      if (o === null || typeof o.tempFormat !== 'string') return null;
      return {
        type: 'C',
        constants: { tempFormat: o.tempFormat, tempSetMin: num(o.tempSetMin), tempSetMax: num(o.tempSetMax) },
      };
    case 'V':
      return o === null ? null : { type: 'V', variables: o };
    case 'd':
      if (!Array.isArray(value)) return null;
      // h 2 is a OneWire temperature sensor; a its address.
      return {
        type: 'd',
        sensors: value.flatMap((d) => {
          const dev = record(d);
          return dev?.h === 2 && typeof dev.a === 'string' ? [dev.a.toUpperCase()] : [];
        }),
      };
    case 'L':
      return Array.isArray(value) ? { type: 'L', lines: value.map(String) } : null;
    default:
      return null;
  }
}

/** A setpoint as the firmware reads it: at most two decimals. */
export function formatC(c: number): string {
  return String(Math.round(c * 100) / 100);
}

/**
 * `j{mode:b, beerSet:20}`: keys unquoted, as the firmware's settings parser expects. Without `mode`, only
 * the setpoint changes (`j{beerSet:19.5}`: how brewpi-script moves a profile's setpoint).
 */
export function encodeSettings(s: { mode?: BrewPiMode; beerSet?: number; fridgeSet?: number }): string {
  const parts = s.mode === undefined ? [] : [`mode:${s.mode}`];
  if (s.beerSet !== undefined) parts.push(`beerSet:${formatC(s.beerSet)}`);
  if (s.fridgeSet !== undefined) parts.push(`fridgeSet:${formatC(s.fridgeSet)}`);
  return `j{${parts.join(', ')}}`;
}
