// Tilt hydrometers: their iBeacon advertisement (Apple's company id 0x004C, type 0x02 0x15, a UUID per
// colour, major = temperature in °F, minor = SG × 1000; the Tilt Pro sends ×10 of both) and the per-Tilt
// JSON TiltBridge publishes and posts. Each Tilt is mapped by colour to a fermenter, with calibration
// offsets, and joins the same hydrometer path as the iSpindel.
import createError from '@fastify/error';
import { type Static, Type as T } from '@sinclair/typebox';
import { schemaChecker } from '../common/schema-check.js';
import type { HydrometerTarget } from './ispindel-listener.js';
import type { BrokerLog } from './log.js';

export const TILT_COLOURS = ['red', 'green', 'black', 'purple', 'orange', 'blue', 'yellow', 'pink'] as const;
export type TiltColour = (typeof TILT_COLOURS)[number];

/** The UUID of every Tilt, but for its fourth byte: 0x10 red … 0x80 pink. */
const UUID_HEAD = [0xa4, 0x95, 0xbb];
const UUID_TAIL = [0xc5, 0xb1, 0x4b, 0x44, 0xb5, 0x12, 0x13, 0x70, 0xf0, 0x2d, 0x74, 0xde];

export interface TiltReading {
  colour: TiltColour;
  /** Specific gravity as sent (before calibration). */
  gravity: number;
  temperatureC: number;
  /** Tilt Pro: a tenth of a degree and SG to four decimals. */
  pro: boolean;
}

const fToC = (f: number) => ((f - 32) * 5) / 9;

/**
 * A Tilt's reading from the manufacturer data of a BLE advertisement (25 bytes: 4C 00 02 15, UUID,
 * major, minor, tx power), or null for any other beacon. A minor above 5000 cannot be SG × 1000 (that
 * would be 5.0): it is a Tilt Pro's SG × 10000, with the temperature in tenths of °F.
 */
export function decodeTiltAdvertisement(data: Uint8Array): TiltReading | null {
  if (data.length < 25 || data[0] !== 0x4c || data[1] !== 0x00 || data[2] !== 0x02 || data[3] !== 0x15) {
    return null;
  }
  if (UUID_HEAD.some((b, i) => data[4 + i] !== b) || UUID_TAIL.some((b, i) => data[8 + i] !== b)) return null;
  const code = data[7] as number;
  const colour = TILT_COLOURS[(code >> 4) - 1];
  if (colour === undefined || (code & 0x0f) !== 0) return null;
  const major = ((data[20] as number) << 8) | (data[21] as number);
  const minor = ((data[22] as number) << 8) | (data[23] as number);
  const pro = minor > 5000;
  return {
    colour,
    gravity: pro ? minor / 10_000 : minor / 1000,
    temperatureC: fToC(pro ? major / 10 : major),
    pro,
  };
}

/** One Tilt's JSON as TiltBridge publishes and posts it; numbers arrive as text. */
export const TiltBridgeSchema = T.Object({
  color: T.String({ minLength: 1, maxLength: 16 }),
  temp: T.Union([T.String({ maxLength: 16 }), T.Number()]),
  tempUnit: T.Union([T.Literal('C'), T.Literal('F')]),
  gravity: T.Union([T.String({ maxLength: 16 }), T.Number()]),
  high_resolution: T.Optional(T.Boolean()),
  rssi: T.Optional(T.Number()),
});
export type TiltBridgeBody = Static<typeof TiltBridgeSchema>;
const checkBridge = schemaChecker(TiltBridgeSchema, 'Tilt post');

export const TiltValueError = createError<'COBREW_ERR_TILT_VALUE', [string, string]>(
  'COBREW_ERR_TILT_VALUE',
  'Tilt %s sent %s. Check the TiltBridge or TiltPi that forwards it.',
  400,
);

export const TiltUnmappedError = createError<'COBREW_ERR_TILT_UNMAPPED', [string, string]>(
  'COBREW_ERR_TILT_UNMAPPED',
  'The %s Tilt is not mapped to a fermenter, so its reading was ignored. Add it under `tilts:` in cobrew.yaml, ' +
    'e.g. `tilts: [{ colour: %s, fermenter: <fermenter id> }]`, and restart cobrew.',
  404,
);

export const TiltAuthError = createError<'COBREW_ERR_TILT_AUTH', [string]>(
  'COBREW_ERR_TILT_AUTH',
  'A Tilt reading can end a profile step, so the post for the %s Tilt needs its token (`token:` under ' +
    '`tilts:`, sent as ?token=… in the TiltBridge URL) or a logged-in brewer with the x-csrf-token header',
  401,
);

const number = (colour: string, what: string, v: string | number): number => {
  const n = typeof v === 'number' ? v : /^\s*[-+]?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isFinite(n)) throw new TiltValueError(colour, `${what} ${JSON.stringify(v)}, not a number`);
  return n;
};

/** A TiltBridge post as a reading; throws COBREW_ERR_INVALID or COBREW_ERR_TILT_VALUE. */
export function readingFromTiltBridge(body: unknown): TiltReading {
  const b = checkBridge(body);
  const colour = b.color.toLowerCase() as TiltColour;
  if (!TILT_COLOURS.includes(colour)) {
    throw new TiltValueError(b.color, `colour "${b.color}", not one of ${TILT_COLOURS.join(', ')}`);
  }
  const temp = number(colour, 'temp', b.temp);
  return {
    colour,
    gravity: number(colour, 'gravity', b.gravity),
    temperatureC: b.tempUnit === 'F' ? fToC(temp) : temp,
    pro: b.high_resolution === true,
  };
}

export interface TiltMapping {
  readonly colour: TiltColour;
  readonly fermenter: string;
  /** Added to every gravity it sends (a calibration against a hydrometer). */
  readonly gravityOffset?: number;
}

/** Hands Tilt readings to the fermenter mapped to their colour, calibrated. */
export class TiltRouter {
  readonly #routes = new Map<TiltColour, { target: HydrometerTarget; mapping: TiltMapping; set?: number }>();

  constructor(
    mappings: readonly TiltMapping[],
    fermenters: readonly HydrometerTarget[],
    private readonly log: BrokerLog,
  ) {
    for (const m of mappings) {
      const target = fermenters.find((f) => f.id === m.fermenter);
      if (target === undefined) throw new Error(`Tilt ${m.colour}: no fermenter "${m.fermenter}"`);
      this.#routes.set(m.colour, { target, mapping: m });
    }
  }

  /** The Tilts it maps, with the offset in force and whether the dashboard set it. */
  devices(): Array<{
    colour: TiltColour;
    fermenter: string;
    gravityOffset: number;
    source: 'config' | 'dashboard';
  }> {
    return [...this.#routes.values()].map(({ mapping, set }) => ({
      colour: mapping.colour,
      fermenter: mapping.fermenter,
      gravityOffset: set ?? mapping.gravityOffset ?? 0,
      source: set === undefined ? 'config' : 'dashboard',
    }));
  }

  /** An offset set from the dashboard in place of cobrew.yaml's; null goes back to cobrew.yaml's. */
  setOffset(colour: string, gravityOffset: number | null): void {
    const route = this.#routes.get(colour as TiltColour);
    if (route === undefined) throw new TiltUnmappedError(colour, colour);
    if (gravityOffset === null) delete route.set;
    else route.set = gravityOffset;
  }

  /** Delivers a reading; returns the fermenter and the calibrated gravity. */
  deliver(r: TiltReading, at: number, via: 'ble' | 'http'): { fermenter: string; gravity: number } {
    const route = this.#routes.get(r.colour);
    if (route === undefined) throw new TiltUnmappedError(r.colour, r.colour);
    const gravity = r.gravity + (route.set ?? route.mapping.gravityOffset ?? 0);
    if (!(gravity >= 0.98 && gravity <= 1.2)) {
      throw new TiltValueError(r.colour, `gravity ${gravity.toFixed(4)}, outside 0.98…1.2 (calibrated)`);
    }
    route.target.reportHydrometer({ gravity, at });
    this.log.debug({ tilt: r.colour, fermenter: route.target.id, gravity, via }, 'hydrometer reading');
    return { fermenter: route.target.id, gravity };
  }
}
