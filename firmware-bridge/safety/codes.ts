// Every code the safety guard can raise, and the error a premature clear gets.
import createError from '@fastify/error';
import type { SafetyCode } from '../types.js';

export const CODES = {
  sensorDisconnected: 'COBREW_ERR_SENSOR_DISCONNECTED',
  sensorPowerOn: 'COBREW_ERR_SENSOR_POWER_ON',
  sensorRange: 'COBREW_ERR_SENSOR_RANGE',
  sensorJump: 'COBREW_ERR_SENSOR_JUMP',
  sensorStale: 'COBREW_ERR_SENSOR_STALE',
  sensorStuck: 'COBREW_ERR_SENSOR_STUCK',
  probesIdentical: 'COBREW_ERR_PROBES_IDENTICAL',
  probesSwapped: 'COBREW_ERR_PROBES_SWAPPED',
  heaterNoEffect: 'COBREW_ERR_HEATER_NO_EFFECT',
  coolerNoEffect: 'COBREW_ERR_COOLER_NO_EFFECT',
  relayStuckOn: 'COBREW_ERR_RELAY_STUCK_ON',
  brownOutChatter: 'COBREW_ERR_BROWN_OUT_CHATTER',
  overTemperature: 'COBREW_ERR_OVER_TEMPERATURE',
  maxOnTime: 'COBREW_ERR_MAX_ON_TIME',
  forcedSafe: 'COBREW_ERR_FORCED_SAFE',
  outage: 'COBREW_ERR_OUTAGE',
} as const satisfies Record<string, SafetyCode>;

export type GuardCode = (typeof CODES)[keyof typeof CODES];

/**
 * Sensor trips whose cure can be seen with every output off, so `autoRecover` may clear them. Stuck,
 * identical and swapped probes only show while outputs run, so a person has to look at those.
 */
export const RECOVERABLE: ReadonlySet<SafetyCode> = new Set<SafetyCode>([
  CODES.sensorDisconnected,
  CODES.sensorPowerOn,
  CODES.sensorRange,
  CODES.sensorJump,
  CODES.sensorStale,
]);

const TripPersists = createError<'COBREW_ERR_TRIP_PERSISTS', [string]>(
  'COBREW_ERR_TRIP_PERSISTS',
  'Nothing was cleared, because %s',
  409,
);

export type TripPersistsError = InstanceType<typeof TripPersists> & { readonly conditions: SafetyCode[] };

/** A clear refused while a tripping condition is still present; `conditions` lists their codes. */
export function tripPersists(found: Array<{ code: SafetyCode; text: string }>): TripPersistsError {
  const err = new TripPersists(found.map((f) => `${f.text} (${f.code})`).join('; and '));
  return Object.assign(err, { conditions: found.map((f) => f.code) });
}
