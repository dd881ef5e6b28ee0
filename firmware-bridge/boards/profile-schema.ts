// JSON Schema of a board profile: what a board's switching parts, supply and sensor bus can take. The
// reference profiles are data files in profiles/; a modified board declares its own as `board.custom`.
import { type Static, Type as T } from '@sinclair/typebox';

const Pin = T.String({ minLength: 1, description: 'Board pin, e.g. D7' });
const Amps = (description: string) => T.Number({ exclusiveMinimum: 0, maximum: 1000, description });

export const RelaySchema = T.Object(
  {
    type: T.Literal('relay'),
    pin: Pin,
    part: T.String({ description: 'What is fitted, e.g. "5 V relay, 16 A 250 V AC, 1/2 HP"' }),
    coilMA: T.Number({ minimum: 0, maximum: 2000, description: 'Coil current drawn from the board supply' }),
    resistiveA: Amps('Contact rating for resistive loads (AC-1), amperes'),
    maxVac: T.Number({
      exclusiveMinimum: 0,
      maximum: 1000,
      description: 'Highest AC voltage the contacts take',
    }),
    motor: T.Union(
      [
        T.Object(
          {
            fullLoadA: Amps('Motor running current the contacts are rated for (from the HP rating)'),
            lockedRotorA: Amps('Motor starting (locked-rotor) current the contacts are rated for'),
          },
          { additionalProperties: false },
        ),
        T.Null(),
      ],
      {
        description:
          'Motor (inductive) rating; null when the relay has none and must not switch a compressor',
      },
    ),
  },
  { additionalProperties: false },
);

export const SsrSchema = T.Object(
  {
    type: T.Literal('ssr'),
    pin: Pin,
    part: T.String({ description: 'What is fitted, e.g. "zero-cross SSR 25 A, heat sink for 10 A"' }),
    ratedA: Amps('The SSR\u2019s own rating, amperes'),
    continuousA: Amps(
      'What its heat sink can carry at 100 % duty; a heater run as long as the guard allows (hours) is 100 % duty',
    ),
    maxVac: T.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'Highest AC voltage it switches' }),
  },
  { additionalProperties: false, description: 'A zero-cross SSR: resistive loads only' },
);

export const ChannelSchema = T.Union([RelaySchema, SsrSchema]);

export const BoardProfileSchema = T.Object(
  {
    id: T.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    name: T.String({ minLength: 1 }),
    /** A published reference design; false for anything built otherwise. */
    reference: T.Boolean(),
    heaterCutOut: T.Boolean({
      description:
        'A thermal cut-out in series with the heater, opening by itself when the heater overheats: a shorted SSR or welded relay draws normal current, so no fuse opens, and this is what stops the heat then',
    }),
    supply: T.Object(
      {
        volts: T.Number({ exclusiveMinimum: 0 }),
        coilBudget: T.Integer({
          minimum: 0,
          description: 'How many relay coils the board supply may hold energised at once',
        }),
        note: T.String(),
      },
      { additionalProperties: false },
    ),
    oneWire: T.Object(
      {
        pin: Pin,
        maxSensors: T.Integer({ minimum: 1, maximum: 100 }),
        maxCableM: T.Number({ exclusiveMinimum: 0, description: 'Total bus cable length, metres' }),
      },
      { additionalProperties: false },
    ),
    channels: T.Record(T.String({ pattern: '^[a-z][a-z0-9-]*$' }), ChannelSchema, {
      description: 'Switching channels by id',
    }),
    outputs: T.Object(
      {
        heat: T.Array(T.String(), { minItems: 1, description: 'Channels the heat output switches together' }),
        cool: T.Array(T.String(), { minItems: 1, description: 'Channels the cool output switches together' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type BoardProfile = Static<typeof BoardProfileSchema>;
export type Channel = Static<typeof ChannelSchema>;
export type Relay = Static<typeof RelaySchema>;
