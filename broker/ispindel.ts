// iSpindel hydrometers: their MQTT output (one raw value per topic) and their HTTP JSON post, checked
// strictly so that a malformed value is refused with a reason and never stored as zero.
import createError from '@fastify/error';
import { type Static, Type as T } from '@sinclair/typebox';
import { schemaChecker } from '../common/schema-check.js';

export const IspindelValueError = createError<'COBREW_ERR_ISPINDEL_VALUE', [string, string, string, string]>(
  'COBREW_ERR_ISPINDEL_VALUE',
  'iSpindel "%s" sent %s = %s: %s. Check its formula and firmware settings.',
);

/** One hydrometer's latest figures, in cobrew's units (°C, specific gravity). */
export interface IspindelReading {
  name: string;
  at: number;
  angle?: number;
  temperatureC?: number;
  battery?: number;
  gravity?: number;
  intervalS?: number;
  rssi?: number;
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

/**
 * Specific gravity from what the iSpindel's formula produced: SG as such (0.98…1.2), or degrees Plato
 * (up to 40 °P) converted with the usual polynomial. Between 0.98 and 1.2 the value is taken as SG.
 */
export function toSpecificGravity(name: string, value: number): number {
  if (value >= 0.98 && value <= 1.2) return value;
  if (value >= -2 && value <= 40) return 1 + value / (258.6 - (value / 258.2) * 227.1);
  throw new IspindelValueError(
    name,
    'gravity',
    String(value),
    'neither a specific gravity (0.98…1.2) nor °Plato (−2…40)',
  );
}

const TEMP_UNITS = new Set(['C', 'F', 'K']);

function toCelsius(c: number, units: string): number {
  return units === 'F' ? ((c - 32) * 5) / 9 : units === 'K' ? c - 273.15 : c;
}

/** Collects an iSpindel's one-value-per-topic MQTT output into readings. */
export class IspindelAssembler {
  readonly #latest = new Map<string, IspindelReading & { rawTemperature?: number; units: string }>();

  /** Apply one MQTT value; returns the hydrometer's updated reading, or throws IspindelValueError. */
  accept(name: string, key: IspindelKey, payload: string, at: number): IspindelReading {
    const r = this.#latest.get(name) ?? { name, at, units: 'C' };
    const next = { ...r, at };
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
        next.gravity = toSpecificGravity(name, strictNumber(name, key, payload));
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

/** The JSON an iSpindel posts over HTTP ("Generic HTTP"); extra fields from newer firmware are allowed. */
export const IspindelHttpSchema = T.Object({
  name: T.String({ minLength: 1, maxLength: 64, pattern: '^[^/#+]+$' }),
  ID: T.Union([T.Integer(), T.String()]),
  token: T.Optional(T.String()),
  angle: T.Number({ minimum: 0, maximum: 90 }),
  temperature: T.Number(),
  temp_units: T.Optional(T.Union([T.Literal('C'), T.Literal('F'), T.Literal('K')])),
  battery: T.Number({ minimum: 2.5, maximum: 5 }),
  gravity: T.Number(),
  interval: T.Optional(T.Number({ minimum: 1, maximum: 86_400 })),
  RSSI: T.Optional(T.Number({ minimum: -130, maximum: 0 })),
});
export type IspindelHttpBody = Static<typeof IspindelHttpSchema>;

const checkHttp = schemaChecker(IspindelHttpSchema, 'iSpindel post');

/** Check an HTTP post and turn it into a reading; throws COBREW_ERR_INVALID or COBREW_ERR_ISPINDEL_VALUE. */
export function readingFromHttp(body: unknown, at: number): IspindelReading {
  const b = checkHttp(body);
  const temperatureC = inRange(
    b.name,
    'temperature',
    toCelsius(b.temperature, b.temp_units ?? 'C'),
    -20,
    60,
    ' °C',
  );
  return {
    name: b.name,
    at,
    angle: b.angle,
    temperatureC,
    battery: b.battery,
    gravity: toSpecificGravity(b.name, b.gravity),
    ...(b.interval === undefined ? {} : { intervalS: b.interval }),
    ...(b.RSSI === undefined ? {} : { rssi: b.RSSI }),
  };
}
