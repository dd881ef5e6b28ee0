// iSpindel hydrometers: their MQTT output (one raw value per topic) and their HTTP JSON post, checked
// strictly so that a malformed value is refused with a reason and never stored as zero. A bad side value
// (battery, RSSI, temperature…) is dropped alone; the gravity field stays raw here, and becomes a specific
// gravity with the device's own settings (ispindel-gravity.ts) where the mapping is known.
import { type Static, Type as T } from '@sinclair/typebox';
import { schemaChecker } from '../common/schema-check.js';
import { IspindelValueError } from './ispindel-errors.js';

export { IspindelValueError } from './ispindel-errors.js';

/** One hydrometer's latest figures: °C, volts, and the gravity field as the device's formula gave it. */
export interface IspindelReading {
  name: string;
  at: number;
  angle?: number;
  temperatureC?: number;
  battery?: number;
  /** The `gravity` field as sent: SG or °Plato depending on the device's formula, 0 when it failed. */
  rawGravity?: number;
  intervalS?: number;
  rssi?: number;
  /** Side values that were out of range and dropped, one sentence each (HTTP posts). */
  dropped?: string[];
}

export const ISPINDEL_MQTT_KEYS = [
  'tilt',
  'temperature',
  'temp_units',
  'battery',
  'gravity',
  'interval',
  'RSSI',
] as const;
export type IspindelKey = (typeof ISPINDEL_MQTT_KEYS)[number];

/** The name and key of an `ispindel/<name>/<key>` topic, or null for anything else. */
export function parseIspindelTopic(topic: string): { name: string; key: IspindelKey } | null {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== 'ispindel' || parts[1] === '') return null;
  const key = parts[2] as IspindelKey;
  return ISPINDEL_MQTT_KEYS.includes(key) ? { name: parts[1] as string, key } : null;
}

/** A strict number: empty, blank or partly numeric text is refused (Number('') would be 0). */
function strictNumber(name: string, key: string, raw: string | number): number {
  const text = String(raw).trim();
  const n = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) throw new IspindelValueError(name, key, JSON.stringify(raw), 'not a number');
  return n;
}

function inRange(name: string, key: string, n: number, lo: number, hi: number, unit = ''): number {
  if (n < lo || n > hi) throw new IspindelValueError(name, key, String(n), `outside ${lo}…${hi}${unit}`);
  return n;
}

const TEMP_UNITS = new Set(['C', 'F', 'K']);

/** The reading field each side key fills, forgotten when a bad value comes. */
const SIDE_FIELDS: Partial<Record<IspindelKey, string[]>> = {
  tilt: ['angle'],
  temperature: ['rawTemperature', 'temperatureC'],
  battery: ['battery'],
  interval: ['intervalS'],
  RSSI: ['rssi'],
};

function toCelsius(c: number, units: string): number {
  return units === 'F' ? ((c - 32) * 5) / 9 : units === 'K' ? c - 273.15 : c;
}

/** Collects an iSpindel's one-value-per-topic MQTT output into readings. */
export class IspindelAssembler {
  readonly #latest = new Map<string, IspindelReading & { rawTemperature?: number; units: string }>();

  /**
   * Apply one MQTT value; returns the hydrometer's updated reading, or throws IspindelValueError. A bad
   * side value is also forgotten, so that a stale one does not travel with the next gravity.
   */
  accept(name: string, key: IspindelKey, payload: string, at: number): IspindelReading {
    const r = this.#latest.get(name) ?? { name, at, units: 'C' };
    try {
      return this.#apply(name, key, payload, { ...r, at });
    } catch (err) {
      const fields = SIDE_FIELDS[key] ?? [];
      this.#latest.set(name, { ...r, ...Object.fromEntries(fields.map((f) => [f, undefined])) });
      throw err;
    }
  }

  #apply(
    name: string,
    key: IspindelKey,
    payload: string,
    next: IspindelReading & { rawTemperature?: number; units: string },
  ): IspindelReading {
    switch (key) {
      case 'tilt':
        next.angle = inRange(name, key, strictNumber(name, key, payload), 0, 90, '°');
        break;
      case 'temperature': {
        // Units arrive after the temperature in each cycle, so accept what °C, °F or K could mean.
        const raw = strictNumber(name, key, payload);
        next.rawTemperature =
          next.units === 'K' ? inRange(name, key, raw, 253, 333, ' K') : inRange(name, key, raw, -20, 140);
        break;
      }
      case 'temp_units': {
        const units = payload.trim().toUpperCase();
        if (!TEMP_UNITS.has(units))
          throw new IspindelValueError(name, key, JSON.stringify(payload), 'use C, F or K');
        next.units = units;
        break;
      }
      case 'battery':
        next.battery = inRange(name, key, strictNumber(name, key, payload), 2.5, 5, ' V');
        break;
      case 'gravity':
        next.rawGravity = strictNumber(name, key, payload);
        break;
      case 'interval':
        next.intervalS = inRange(name, key, strictNumber(name, key, payload), 1, 86_400, ' s');
        break;
      case 'RSSI':
        next.rssi = inRange(name, key, strictNumber(name, key, payload), -130, 0, ' dBm');
        break;
    }
    if (next.rawTemperature !== undefined) {
      const c = toCelsius(next.rawTemperature, next.units);
      // Out of a fermenter's range in these units: the units have not arrived yet; wait for them.
      next.temperatureC = c >= -20 && c <= 60 ? c : undefined;
    }
    this.#latest.set(name, next);
    const { rawTemperature: _raw, units: _units, ...reading } = next;
    return reading;
  }
}

/**
 * The JSON an iSpindel posts over HTTP ("Generic HTTP"); extra fields from newer firmware are allowed.
 * Only the name and gravity must be right: side values are range-checked by readingFromHttp, which drops
 * a bad one alone.
 */
export const IspindelHttpSchema = T.Object({
  name: T.String({ minLength: 1, maxLength: 64, pattern: '^[^/#+]+$' }),
  ID: T.Union([T.Integer(), T.String()]),
  token: T.Optional(T.String({ maxLength: 256 })),
  angle: T.Optional(T.Number()),
  temperature: T.Optional(T.Number()),
  temp_units: T.Optional(T.Union([T.Literal('C'), T.Literal('F'), T.Literal('K')])),
  battery: T.Optional(T.Number()),
  gravity: T.Number(),
  interval: T.Optional(T.Number()),
  RSSI: T.Optional(T.Number()),
});
export type IspindelHttpBody = Static<typeof IspindelHttpSchema>;

const checkHttp = schemaChecker(IspindelHttpSchema, 'iSpindel post');

/** Side values of a post and their bounds (after conversion to °C). */
const HTTP_BOUNDS = {
  angle: [0, 90, '°'],
  temperatureC: [-20, 60, ' °C'],
  battery: [2.5, 5, ' V'],
  intervalS: [1, 86_400, ' s'],
  rssi: [-130, 0, ' dBm'],
} as const;

/**
 * Check an HTTP post and turn it into a reading (gravity still raw); throws COBREW_ERR_INVALID for a post
 * without a name or gravity. An out-of-range side value (battery 5.1 V, RSSI 31, temperature −127 from
 * an unplugged probe) is left out and named in `dropped`.
 */
export function readingFromHttp(body: unknown, at: number): IspindelReading & { token?: string } {
  const b = checkHttp(body);
  const sent = {
    angle: b.angle,
    temperatureC: b.temperature === undefined ? undefined : toCelsius(b.temperature, b.temp_units ?? 'C'),
    battery: b.battery,
    intervalS: b.interval,
    rssi: b.RSSI,
  };
  const reading: IspindelReading & { token?: string } = { name: b.name, at, rawGravity: b.gravity };
  const dropped: string[] = [];
  for (const [field, [lo, hi, unit]] of Object.entries(HTTP_BOUNDS) as [
    keyof typeof HTTP_BOUNDS,
    (typeof HTTP_BOUNDS)[keyof typeof HTTP_BOUNDS],
  ][]) {
    const v = sent[field];
    if (v === undefined) continue;
    if (v >= lo && v <= hi) reading[field] = v;
    else dropped.push(`${field} ${Number(v.toFixed(3))} is outside ${lo}…${hi}${unit}; left out`);
  }
  if (dropped.length > 0) reading.dropped = dropped;
  if (b.token !== undefined) reading.token = b.token;
  return reading;
}
