// JSON Schema of the state payload on <base>/fermenter/<id>/state: what subscribers validate against.
import { Type as T } from '@sinclair/typebox';
import { ProfileStepValue } from '../firmware-bridge/commands.js';

const NullableNumber = (description: string) => T.Union([T.Number(), T.Null()], { description });
const SafetyCode = T.TemplateLiteral([T.Literal('COBREW_ERR_'), T.String()]);

const Rate = (description: string) => T.Union([T.Number(), T.Null()], { description });

/** What cobrew's controller has learnt of one fermenter (firmware-bridge/control/thermal-model.ts). */
const ThermalModelSchema = T.Object(
  {
    converged: T.Boolean({
      description: 'Cooling arrivals are planned with the model; else the cascade alone runs',
    }),
    heatConverged: T.Boolean({ description: 'Heating arrivals are planned with the model' }),
    confidence: T.Number({
      minimum: 0,
      maximum: 1,
      description: 'One minus the worst relative standard deviation of the key parameters',
    }),
    learntH: T.Number({ minimum: 0, description: 'Hours of readings learnt from' }),
    beerTauH: Rate("The beer's time constant in the chamber air, hours"),
    chamberTauH: Rate("The chamber air's own time constant towards beer, liner and room, hours"),
    coolingCPerH: Rate('How fast the compressor cools the chamber air at full run, °C/h (negative)'),
    heatingCPerH: Rate('How fast the heater warms what it warms (heaterWarms), °C/h'),
    heaterWarms: T.Union([T.Literal('chamber'), T.Literal('beer')], {
      description: 'What the heater warms: the chamber air, or the beer (a heater on the vessel)',
    }),
    roomCouplingPerH: Rate('How fast the room pulls the chamber air, per hour per °C of difference'),
    fermentationCPerH: Rate("The beer's own warming from fermentation, °C/h"),
    compressorDelayS: T.Number({ minimum: 0, description: "Seconds before the compressor's cold shows" }),
    compressorLagS: T.Number({ minimum: 0, description: "The evaporator's lag after that, seconds" }),
    coastGain: T.Number({
      minimum: 0,
      description:
        "How far the beer really coasts after a stop against the model's prediction, learnt from each coast",
    }),
    coastsSeen: T.Integer({ minimum: 0, description: 'How many finished coasts the gain has learnt from' }),
    residualC: T.Object(
      {
        beer: Rate('RMS one-step residual of the beer equation (10 min steps), °C'),
        chamber: Rate('RMS one-step residual of the chamber equation (1 min steps), °C'),
      },
      { description: 'How well the model predicts one step ahead' },
    ),
  },
  { description: 'A thermal model learnt online: parameters and their confidence' },
);

// Extra keys are allowed so that a newer bridge can add fields without older dashboards dropping its states.
export const FermenterStateSchema = T.Object(
  {
    id: T.String({ minLength: 1 }),
    name: T.String(),
    at: T.Number({ description: 'Epoch milliseconds of the bridge clock (simulated time when accelerated)' }),
    beerC: NullableNumber('Beer temperature in °C; null when the probe is not trusted'),
    chamberC: NullableNumber('Chamber air temperature in °C'),
    ambientC: NullableNumber('Room temperature in °C'),
    mode: T.Union([T.Literal('off'), T.Literal('beer'), T.Literal('chamber'), T.Literal('profile')]),
    beerSetpointC: NullableNumber('Beer target in °C'),
    chamberSetpointC: NullableNumber('Chamber target in °C'),
    outputs: T.Object({ heat: T.Boolean(), cool: T.Boolean() }),
    controllerState: T.String(),
    controllerWaitS: T.Optional(
      T.Union([T.Number({ minimum: 0 }), T.Null()], {
        description:
          'While the controller waits to cool or heat (waiting-to-cool, waiting-to-heat), seconds until that output may start: the compressor rest, the interlock, or the demand still building up; null otherwise. Absent from bridges before it',
      }),
    ),
    safety: T.Object({
      status: T.Union([T.Literal('ok'), T.Literal('alarm'), T.Literal('tripped')]),
      trips: T.Array(SafetyCode),
      alarms: T.Array(SafetyCode),
    }),
    gravity: NullableNumber('Specific gravity, e.g. 1.012'),
    hydrometerBatteryV: NullableNumber('Battery of the hydrometer (iSpindel) reporting the gravity, volts'),
    profileStep: T.Optional(
      T.Union([T.Integer({ minimum: 0 }), T.Null()], {
        description:
          'Index (from 0) of the profile step running; null when none runs (not in profile mode, waiting for the first beer reading, or the profile has finished). Absent from bridges before it',
      }),
    ),
    profile: T.Optional(
      T.Union(
        [
          T.Object(
            {
              step: T.Integer({ minimum: 0, description: 'Index (from 0) of the step running' }),
              steps: T.Integer({ minimum: 1, description: 'Steps in the profile' }),
              held: T.Boolean({
                description: 'A person holds the step: its clock is paused and its target stands still',
              }),
              current: T.Intersect([ProfileStepValue], {
                description: 'The step running; its durationH includes any extension',
              }),
              next: T.Array(ProfileStepValue, { description: 'The steps still to come' }),
              stepElapsedS: T.Number({ description: 'Time the step has run, held time left out' }),
              stepRemainingS: T.Number({
                description: 'Left in the step at most (gravity may end it sooner)',
              }),
              remainingS: T.Number({ description: 'Left in the whole profile at most' }),
              endsAt: T.Number({
                description:
                  'When the profile ends at the latest if nothing changes (bridge clock, epoch ms)',
              }),
            },
            { additionalProperties: false },
          ),
          T.Null(),
        ],
        {
          description:
            'Progress and time left of the running profile; null when no step runs (as profileStep). Absent from bridges before it',
        },
      ),
    ),
    board: T.Optional(
      T.Object(
        {
          kind: T.String({ description: 'Board type: sim, cobrew, firmata or brewpi' }),
          profile: T.String({
            description:
              'Board profile: a reference design (e.g. ref-uno-r1), custom for a modified board, sim',
          }),
          modified: T.Boolean({
            description: 'Not the reference design: a custom profile, or a board reporting another profile',
          }),
          deviations: T.Array(T.String(), {
            description: 'Each difference from the reference design, in words',
          }),
          firmware: T.Optional(T.String({ description: 'Firmware name and version the board reported' })),
          connected: T.Boolean({ description: 'The board is open and answering' }),
          warnings: T.Optional(
            T.Array(T.String(), {
              description: 'What the board reports that needs attention, e.g. a brown-out level below 4.3 V',
            }),
          ),
        },
        { description: 'What drives the probes and relays (absent from bridges before board profiles)' },
      ),
    ),
    thermalModel: T.Optional(
      T.Union([ThermalModelSchema, T.Null()], {
        description:
          'The fermenter thermal model its controller learns from its own readings; null when the controller learns none. Absent from bridges before it',
      }),
    ),
  },
  { description: 'One fermenter state, published retained on <base>/fermenter/<id>/state' },
);
