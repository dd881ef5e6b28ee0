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
    coilMA: T.Number({
      minimum: 0,
      maximum: 2000,
      description: 'Coil current drawn from the board supply, mA (0 when the relay has a supply of its own)',
    }),
    coilDrive: T.Union([T.Literal('pin'), T.Literal('transistor'), T.Literal('module')], {
      description:
        "What switches the coil: pin (straight from the board's pin, which must then give the coil current), transistor (a driver transistor and flyback diode on the board), module (a relay module with its own driver; the pin only feeds its input)",
    }),
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
    inrushA: T.Optional(
      Amps(
        'Peak switch-on current the contacts are rated to make (lamp or capacitive-load rating, e.g. 80 A for a "TV-5" relay); without it the motor locked-rotor rating stands in, and a relay with neither switches no lamp or power supply',
      ),
    ),
  },
  { additionalProperties: false },
);

export const SsrSchema = T.Object(
  {
    type: T.Literal('ssr'),
    pin: Pin,
    part: T.String({ description: 'What is fitted, e.g. "zero-cross SSR 25 A, heat sink for 10 A"' }),
    ratedA: Amps('The SSR\u2019s own rating, amperes: never exceeded, whatever the heat sink'),
    maxVac: T.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'Highest AC voltage it switches' }),
    dropV: T.Number({
      minimum: 0.3,
      maximum: 5,
      description: 'On-state voltage drop (datasheet, typically 1.2-1.6 V): it sheds dropV x I watts as heat',
    }),
    maxCaseC: T.Number({
      minimum: 30,
      maximum: 125,
      description: 'Highest case temperature at full current (the datasheet derating curve), \u00B0C',
    }),
    caseToAirCPerW: T.Number({
      exclusiveMinimum: 0,
      maximum: 100,
      description: 'The bare SSR body\u2019s thermal resistance to air, without a heat sink, \u00B0C/W',
    }),
    heatSink: T.Union(
      [
        T.Literal('none'),
        T.Object(
          {
            cPerW: T.Number({
              exclusiveMinimum: 0,
              maximum: 50,
              description: 'Thermal resistance from the SSR case to air, thermal pad included, \u00B0C/W',
            }),
            part: T.String({
              description: 'What is fitted, e.g. "extruded aluminium 100 mm, 2.5 \u00B0C/W"',
            }),
          },
          { additionalProperties: false },
        ),
      ],
      { description: 'The heat sink fitted, or none' },
    ),
    ambientC: T.Number({
      minimum: 0,
      maximum: 80,
      description: 'Air around the SSR at worst (inside the enclosure, next to the fridge), \u00B0C',
    }),
    surgeA: Amps('One-cycle surge current (ITSM) from the datasheet, amperes'),
  },
  {
    additionalProperties: false,
    description:
      'A zero-cross SSR. Its continuous rating is worked out from the heat sink: (maxCaseC - ambientC) / (dropV x thermal resistance), at most ratedA; a heater run as long as the guard allows (hours) is 100 % duty',
  },
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
        coilBudgetMA: T.Number({
          minimum: 0,
          maximum: 10_000,
          description:
            'Milliamperes the board supply may give relay coils at once, after the board, probes and SSR inputs',
        }),
        note: T.String(),
      },
      { additionalProperties: false },
    ),
    pinMA: T.Object(
      {
        recommended: T.Number({
          exclusiveMinimum: 0,
          description: 'Current a pin may source continuously, mA',
        }),
        absolute: T.Number({ exclusiveMinimum: 0, description: 'Absolute maximum of a pin, mA' }),
      },
      { additionalProperties: false, description: 'What the microcontroller\u2019s pins can drive' },
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
export type Ssr = Static<typeof SsrSchema>;
