// JSON Schema of a fermenter's configuration: the single source of truth for its types and defaults.
import { type Static, Type as T } from '@sinclair/typebox';
import { ChannelSchema } from './boards/profile-schema.js';
import {
  CUSTOM_PROFILE_ID,
  DEFAULT_PROFILE_ID,
  NO_FAILSAFE_PROFILE_ID,
  PROFILE_IDS,
  REFERENCE_PROFILES,
} from './boards/profiles.js';
import { SimFaultSchema } from './sim/faults.js';

const Celsius = (description: string, def: number, min = -30, max = 110) =>
  T.Number({ description, default: def, minimum: min, maximum: max });
const Seconds = (description: string, def: number, min = 0) =>
  T.Number({ description, default: def, minimum: min });

const JPerK = (description: string, def: number) =>
  T.Number({ description: `${description}, J/K`, default: def, minimum: 100, maximum: 1e7 });
const WPerK = (description: string, def: number) =>
  T.Number({ description: `${description}, W/K`, default: def, minimum: 0, maximum: 1000 });

/** The fridge's thermal build; the defaults are a small, quick, well-insulated fridge. */
export const SimThermalSchema = T.Object(
  {
    chamberJPerK: JPerK('Chamber air, shelves and fittings', 10_000),
    wallJPerK: JPerK('Inner liner and the foam right behind it', 25_000),
    evaporatorJPerK: JPerK('Evaporator coil, the refrigerant and any frost on it', 2_000),
    beerUAAt20L: T.Number({
      description: 'Beer to chamber air for a 20 L fermenter (scaled by volume^(2/3)), W/K',
      default: 2.8,
      exclusiveMinimum: 0,
      maximum: 1000,
    }),
    chamberWallUA: WPerK('Chamber air to the liner', 10),
    wallRoomUA: WPerK('Liner through the insulation to the room', 1.5),
    leakUA: WPerK('Chamber air straight to the room: door seal, drain, cable gland', 0),
    evaporatorUA: WPerK('Evaporator to the chamber air (fan or still air)', 12),
    compressorDelayS: T.Number({
      description: 'Seconds from the relay closing until the compressor lifts heat (pressures to build)',
      default: 0,
      minimum: 0,
      maximum: 1800,
    }),
  },
  { additionalProperties: false, default: {} },
);
export type SimThermalConfig = Static<typeof SimThermalSchema>;

export const SimBoardSchema = T.Object(
  {
    type: T.Literal('sim'),
    volumeL: T.Number({ description: 'Beer volume in litres', default: 20, minimum: 1, maximum: 2000 }),
    heaterW: T.Number({ description: 'Heater electrical power', default: 100, minimum: 0, maximum: 5000 }),
    heaterMount: T.Union([T.Literal('chamber'), T.Literal('vessel')], {
      description: 'chamber: heater warms the fridge air; vessel: heat wrap or belt on the fermenter',
      default: 'chamber',
    }),
    coolerW: T.Number({
      description: 'Heat the compressor removes at the evaporator',
      default: 150,
      minimum: 0,
    }),
    compressorW: T.Number({ description: 'Compressor electrical power', default: 90, minimum: 0 }),
    ambientMeanC: Celsius('Mean room temperature', 20),
    ambientSwingC: T.Number({
      description: 'Half the daily peak-to-peak room swing',
      default: 3,
      minimum: 0,
    }),
    startBeerC: Celsius('Beer temperature when the simulation starts', 20),
    originalGravity: T.Number({ default: 1.05, minimum: 1, maximum: 1.2 }),
    finalGravity: T.Number({ default: 1.012, minimum: 0.99, maximum: 1.2 }),
    fermentationDelayH: T.Number({
      description: 'Hours since pitching at simulation start (negative: pitch later)',
      default: 0,
    }),
    sensorNoiseC: T.Number({ description: 'Standard deviation of probe noise', default: 0.02, minimum: 0 }),
    thermal: SimThermalSchema,
    seed: T.Integer({ description: 'Random seed for reproducible noise', default: 1 }),
    faults: T.Array(
      T.Object(
        {
          afterH: T.Number({ description: 'Hours after start when the fault begins', minimum: 0 }),
          forH: T.Optional(
            T.Number({ description: 'How long it lasts; for good if absent', exclusiveMinimum: 0 }),
          ),
          fault: SimFaultSchema,
        },
        { additionalProperties: false },
      ),
      { description: 'Scripted faults, for demonstrations and drills', default: [] },
    ),
  },
  { additionalProperties: false },
);
export type SimBoardConfig = Static<typeof SimBoardSchema>;

// Real boards. Which probe is which is `sensors.<probe>.address` (OneWire ROM codes); what the outputs switch
// is `outputs.<name>.loadW`/`kind`; the board profile says what its relays, SSR and supply can take, and the
// rating check (boards/rating.ts) refuses a set-up that would burn it.
const HeaterMount = T.Union([T.Literal('chamber'), T.Literal('vessel')], {
  description: 'chamber: heater warms the fridge air; vessel: heat wrap or belt on the fermenter',
  default: 'chamber',
});
const SerialPath = T.String({
  minLength: 1,
  description: 'Serial port, e.g. /dev/ttyACM0 (`cobrew board list`)',
});
const ProfileId = (def: string) =>
  T.Union(
    PROFILE_IDS.map((id) => T.Literal(id)),
    {
      default: def,
      description: `Board profile (docs/boards.md): a reference design (${[...REFERENCE_PROFILES.keys()].join(', ')}), or custom for a board built or modified otherwise, declared under custom`,
    },
  );
// No default: a current worked out at the wrong voltage is a silent error (a 1500 W heater draws 12.5 A on
// 120 V, not the 6.5 A a 230 V default would check), so a real board states its mains.
const MainsV = T.Number({
  description:
    'Mains voltage the loads run on (required for a real board: 230 in Europe, 120 in North America); currents are worked out from it',
  minimum: 90,
  maximum: 264,
});
const OneWireCableM = T.Optional(
  T.Number({ exclusiveMinimum: 0, description: 'Total length of the probe bus cable, metres, if known' }),
);
export const CustomProfileSchema = T.Object(
  {
    fromCommons: T.Optional(
      T.String({
        pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
        description:
          "A board profile version shared in the commons (its id, GET /api/hardware): its ratings are this board's, checked like any custom profile; declare nothing else here",
      }),
    ),
    basedOn: T.Union(
      [...REFERENCE_PROFILES.keys()].map((id) => T.Literal(id)),
      { default: DEFAULT_PROFILE_ID, description: 'The reference design this board started from' },
    ),
    name: T.Optional(T.String({ minLength: 1, description: 'What this board is, in a few words' })),
    heaterCutOut: T.Optional(
      T.Boolean({
        description:
          'Whether a thermal cut-out is fitted in series with the heater (the reference board has one); false is shown as a deviation',
      }),
    ),
    supply: T.Optional(
      T.Object(
        {
          coilBudgetMA: T.Optional(
            T.Number({
              minimum: 0,
              maximum: 10_000,
              description: 'Milliamperes the board supply may give relay coils at once',
            }),
          ),
          note: T.Optional(T.String()),
        },
        { additionalProperties: false },
      ),
    ),
    oneWire: T.Optional(
      T.Object(
        {
          maxSensors: T.Optional(T.Integer({ minimum: 1, maximum: 100 })),
          maxCableM: T.Optional(T.Number({ exclusiveMinimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    channels: T.Optional(
      T.Record(T.String({ pattern: '^[a-z][a-z0-9-]*$' }), ChannelSchema, {
        description: 'Channels added or replaced, each declared in full with the ratings of the part fitted',
      }),
    ),
    outputs: T.Optional(
      T.Object(
        {
          heat: T.Optional(T.Array(T.String(), { minItems: 1 })),
          cool: T.Optional(T.Array(T.String(), { minItems: 1 })),
        },
        { additionalProperties: false, description: 'Channels each output switches, when wired otherwise' },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'A modified board: only what differs from the reference it started from. Shown as modified everywhere.',
  },
);
export type CustomProfileConfig = Static<typeof CustomProfileSchema>;

/** The keys every serial board kind starts with: where it is plugged and which profile it follows. */
const BaudRate = (o: object) => T.Integer({ minimum: 1200, maximum: 1_000_000, ...o });
const serialBoardHead = (defaultProfile: string) => ({
  port: SerialPath,
  baudRate: BaudRate({ default: 57600 }),
  profile: ProfileId(defaultProfile),
  custom: T.Optional(CustomProfileSchema),
});
/** The keys every serial board kind ends with: the mains its loads run on and how it is wired. */
const BoardWiring = { mainsV: MainsV, oneWireCableM: OneWireCableM, heaterMount: HeaterMount };

export const CobrewBoardSchema = T.Object(
  {
    type: T.Literal('cobrew'),
    ...serialBoardHead(DEFAULT_PROFILE_ID),
    ...BoardWiring,
  },
  {
    additionalProperties: false,
    description: 'A board running cobrew firmware (line protocol, docs/board-protocol.md)',
  },
);

const FirmataPin = (description: string, def?: number) =>
  T.Integer({ minimum: 0, maximum: 69, description, ...(def === undefined ? {} : { default: def }) });
export const FirmataBoardSchema = T.Object(
  {
    type: T.Literal('firmata'),
    ...serialBoardHead(NO_FAILSAFE_PROFILE_ID),
    // ConfigurableFirmata 3.x runs at 115200 baud; StandardFirmata and older sketches at 57600.
    baudRate: T.Optional(
      BaudRate({
        description:
          "The sketch's rate (`Firmata.begin(…)`); leave out to try 115200 (ConfigurableFirmata 3.x), then 57600",
      }),
    ),
    pins: T.Object(
      {
        heat: FirmataPin('Digital pin of the heat output (active high)', 7),
        cool: FirmataPin('Digital pin of the cool output (active high)', 8),
        oneWire: T.Optional(
          FirmataPin(
            'Digital pin of the DS18B20 bus (ConfigurableFirmata); leave out for StandardFirmata, which has no OneWire',
          ),
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    parasitePower: T.Boolean({
      default: false,
      description:
        'DS18B20s wired with two wires, powered from the data line: the board holds the line high while they convert (ConfigurableFirmata ONEWIRE power flag) and the wait is longer',
    }),
    ...BoardWiring,
  },
  { additionalProperties: false, description: 'An Arduino running ConfigurableFirmata or StandardFirmata' },
);

export const BrewPiBoardSchema = T.Object(
  {
    type: T.Literal('brewpi'),
    ...serialBoardHead(CUSTOM_PROFILE_ID),
    ...BoardWiring,
  },
  { additionalProperties: false, description: 'A BrewPi board on its legacy firmware (0.2.x)' },
);

const BoardUnion = T.Union([SimBoardSchema, CobrewBoardSchema, FirmataBoardSchema, BrewPiBoardSchema]);
export type BoardConfig = Static<typeof BoardUnion>;
/** One board kind, chosen by `type`: Ajv's discriminator checks only that kind's keys and fills its defaults. */
export const BoardSchema = T.Unsafe<BoardConfig>({
  type: 'object',
  description: 'What drives the probes and relays: sim, cobrew, firmata or brewpi',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: BoardUnion.anyOf,
});
export type RealBoardConfig = Exclude<BoardConfig, SimBoardConfig>;
export type CobrewBoardConfig = Static<typeof CobrewBoardSchema>;
export type FirmataBoardConfig = Static<typeof FirmataBoardSchema>;
export type BrewPiBoardConfig = Static<typeof BrewPiBoardSchema>;

const OutputTimingSchema = (minOnS: number, minOffS: number, maxOnS: number) =>
  T.Object(
    {
      minOnS: Seconds('Once on, stay on at least this long', minOnS),
      minOffS: Seconds('Once off, stay off at least this long', minOffS),
      maxOnS: Seconds('Longest continuous run; then forced off for minOffS', maxOnS, 60),
    },
    { additionalProperties: false, default: {} },
  );

export const ControlSchema = T.Object(
  {
    mode: T.Union([T.Literal('off'), T.Literal('beer'), T.Literal('chamber'), T.Literal('profile')], {
      default: 'beer',
    }),
    beerSetpointC: Celsius('Beer target in beer mode', 18, -5, 40),
    chamberSetpointC: Celsius(
      'Chamber target in chamber mode (steered at least 2 °C inside safety.chamber and safety.overTempC)',
      18,
      -5,
      40,
    ),
    // Below 0 °C on purpose: a crash gets there hours sooner, and the beer cannot freeze. The liquid-side film
    // coefficient is ~20x the air side's, so the beer's inner surface sits only ~5 % of the way from the beer to
    // the air: at -5 °C air and a 0 °C target it stays near -0.25 °C, above beer's freezing point (-1…-2 °C).
    chamberMinC: Celsius(
      'Lowest chamber target the beer loop may ask for (and at least 2 °C above safety.chamber.minC)',
      -5,
      -10,
      40,
    ),
    chamberMaxC: Celsius(
      'Highest chamber target the beer loop may ask for (and at least 2 °C below safety.chamber.maxC and ' +
        'safety.overTempC)',
      30,
      -10,
      50,
    ),
    fastArrival: T.Boolean({
      description:
        'Crash as fast as the compressor goes: flat out with no chamber floor (the air kept 2 °C inside ' +
        'safety.chamber.minC), the coast braked by the chamber ' +
        'heater once the learnt model has converged. Arrives near the physical limit without overshoot, for ' +
        'more energy (docs/control.md)',
      default: false,
    }),
    slowFridgePulses: T.Boolean({
      description:
        'On a fridge whose air answers the compressor slowly (learnt dead time plus lag of 10 min or more), run ' +
        'the compressor that long per start (at most 20 min) and wait for the cold of each run: fewer, longer runs, ' +
        'for some energy and overshoot (docs/control.md)',
      default: false,
    }),
    shortHeatPulses: T.Boolean({
      description:
        'While holding, give a chamber heater that overshoots the air (as the learnt model says) shorter ' +
        'pulses: less of its heat is pumped out again by the compressor, for slightly later arrivals; false ' +
        "keeps the cascade's pulses (docs/control.md)",
      default: true,
    }),
    warmRoomHandBack: T.Boolean({
      description:
        'Hand a heating arrival back to the beer loop as soon as the beer reaches its target when the room is ' +
        'more than 3.5 °C warmer than the target (the room carries the beer on), rather than 0.3 °C past it: ' +
        'less overshoot and ripple after an upward step; false keeps 0.3 °C (docs/control.md)',
      default: true,
    }),
    rampPreview: T.Boolean({
      description:
        'On a fridge whose air answers the compressor slowly (learnt dead time plus lag of 10 min or more), lead a ' +
        "profile ramp's feed-forward by that much (at most 30 min): the beer follows ramps and short dips more " +
        'closely, for less energy; false feeds the ramp forward as it stands (docs/control.md)',
      default: true,
    }),
    slowFridgeGain: T.Boolean({
      description:
        'On a fridge whose air answers the compressor slowly (as for rampPreview) and a chamber heater, hold the ' +
        'air twice as firmly while the beer is within 1 °C of its target: less ripple and energy; false keeps ' +
        "the chamber loop's gain (docs/control.md)",
      default: true,
    }),
    tickMs: T.Integer({ description: 'Control loop period', default: 1000, minimum: 100, maximum: 60000 }),
    profile: T.Array(
      T.Object(
        {
          type: T.Union([T.Literal('hold'), T.Literal('ramp')]),
          targetC: Celsius('Beer target at the end of the step', 18, -5, 40),
          durationH: T.Number({
            minimum: 0,
            description: 'Length of the step in hours (the longest, with until)',
          }),
          until: T.Optional(
            T.Object(
              {
                minH: T.Number({
                  default: 0,
                  minimum: 0,
                  description:
                    'Gravity may end the step only after this many hours (a lag phase is stable too)',
                }),
                gravityAtMost: T.Optional(
                  T.Number({
                    minimum: 0.98,
                    maximum: 1.2,
                    description: 'Ends the step once gravity is at or below',
                  }),
                ),
                stableH: T.Optional(
                  T.Number({
                    exclusiveMinimum: 0,
                    description: 'Ends the step once gravity has been stable this long',
                  }),
                ),
                stablePoints: T.Number({
                  default: 1,
                  minimum: 0.1,
                  description: 'How many gravity points (0.001) a stable gravity may wander',
                }),
              },
              { additionalProperties: false, description: 'Gravity conditions that end the step early' },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { default: [] },
    ),
  },
  { additionalProperties: false, default: {} },
);
export type ControlConfig = Static<typeof ControlSchema>;

/** The chamber probe's lowest plausible reading by default; the controller keeps the air clear of it. */
export const DEFAULT_CHAMBER_PROBE_MIN_C = -15;
/** The over-temperature cut-off by default; the controller keeps the air clear of it too. */
export const DEFAULT_OVER_TEMP_C = 40;

const ProbeLimits = (minC: number, maxC: number) =>
  T.Object(
    { minC: Celsius('Lowest plausible reading', minC), maxC: Celsius('Highest plausible reading', maxC) },
    { additionalProperties: false, default: {} },
  );

export const SafetySchema = T.Object(
  {
    heat: OutputTimingSchema(60, 60, 4 * 3600),
    cool: OutputTimingSchema(180, 300, 24 * 3600),
    interlockDeadS: Seconds('Dead time between one output going off and the other coming on', 600),
    staleS: Seconds('A probe with no fresh reading for this long makes the fermenter safe', 10, 1),
    beer: ProbeLimits(-5, 45),
    chamber: ProbeLimits(DEFAULT_CHAMBER_PROBE_MIN_C, 50),
    ambient: ProbeLimits(-20, 55),
    overTempC: Celsius('Chamber or beer above this trips every output off', DEFAULT_OVER_TEMP_C),
    maxRateCPerMin: T.Number({
      description: 'A probe moving faster than this is implausible',
      default: 5,
      minimum: 0.1,
    }),
    faultSamples: T.Integer({
      description:
        'Implausible samples (-127, 85, out of range, jump) that trip a beer or chamber probe; each sane sample ' +
        'takes one back. The probe is distrusted from its first implausible sample.',
      default: 3,
      minimum: 1,
      maximum: 60,
    }),
    jumpMarginC: T.Number({
      description: 'Noise margin added to what maxRateCPerMin allows between two samples',
      default: 0.5,
      minimum: 0.0625,
      maximum: 10,
    }),
    stuckS: Seconds('A probe whose value does not change at all for this long is stuck', 2 * 3600, 60),
    identicalS: Seconds(
      'Beer and chamber reading the same for this long means a swapped or shared probe',
      1800,
      60,
    ),
    identicalToleranceC: T.Number({
      description: 'Beer and chamber readings this close count as the same',
      default: 0.1,
      minimum: 0,
      maximum: 2,
    }),
    swappedRatio: T.Number({
      description:
        'During a cooling or chamber-heating run, the beer probe moving at least runaway.minDeltaC and this many ' +
        'times further than the chamber probe means the two are swapped',
      default: 2,
      minimum: 1,
    }),
    detachedRiseC: T.Number({
      description:
        'During a vessel-heater run, the chamber rising this much, more than swappedRatio times the beer, and ' +
        'ending heldMarginC beyond both beer and room means the heat goes into the air: the wrap came off',
      default: 2,
      minimum: 0.5,
      maximum: 20,
    }),
    heldMarginC: T.Number({
      description:
        'Only a running output holds the chamber this far beyond the room and beyond the beer (for a vessel ' +
        'heater: the beer beyond room and chamber). A run holding it there passes the runaway check; an ' +
        'output that is off while the chamber keeps moving its way out there is stuck on (welded relay)',
      default: 2,
      minimum: 0.5,
      maximum: 30,
    }),
    runaway: T.Object(
      {
        windowS: Seconds('An output on this long must move its temperature the expected way', 1800, 60),
        minDeltaC: T.Number({
          description: 'Expected movement over the window',
          default: 0.5,
          minimum: 0.05,
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    autoRecover: T.Object(
      {
        enabled: T.Boolean({
          description: 'Clear sensor trips by themselves once readings are sane',
          default: false,
        }),
        afterS: Seconds('Readings must be sane this long before an automatic clear', 300, 10),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
export type SafetyConfig = Static<typeof SafetySchema>;

const ProbeSchema = T.Object(
  {
    enabled: T.Boolean({ default: true }),
    address: T.Optional(
      T.String({ description: 'Probe address on the board (OneWire ROM code on real boards)' }),
    ),
    offsetC: T.Number({
      description: 'Calibration offset added to every reading',
      default: 0,
      minimum: -5,
      maximum: 5,
    }),
  },
  { additionalProperties: false, default: {} },
);
/** What an output switches; each kind has its own running and switch-on current (boards/rating.ts). */
export const LOAD_KINDS = ['resistive', 'compressor', 'lamp', 'power-supply'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];
const OutputSchema = (kind: LoadKind) =>
  T.Object(
    {
      enabled: T.Boolean({ default: true }),
      address: T.Optional(T.String({ description: 'Pin or actuator address on the board' })),
      loadW: T.Optional(
        T.Number({
          exclusiveMinimum: 0,
          maximum: 20_000,
          description:
            'Electrical power of what this output switches (nameplate watts); a real board refuses to start without it',
        }),
      ),
      kind: T.Union(
        LOAD_KINDS.map((k) => T.Literal(k)),
        {
          default: kind,
          description:
            'resistive: heater, heat wrap; compressor: a motor, whose start draws several times its running current; lamp: a heat lamp or bulb, whose cold filament draws 10-15 times its running current; power-supply: a switched-mode supply (a Peltier, a fan), whose capacitors draw a surge when switched on',
        },
      ),
      lockedRotorA: T.Optional(
        T.Number({
          exclusiveMinimum: 0,
          description:
            "A compressor's starting current from its nameplate (LRA); 8 x the running current if not given",
        }),
      ),
      inrushA: T.Optional(
        T.Number({
          exclusiveMinimum: 0,
          maximum: 1000,
          description:
            "A lamp's or power supply's peak switch-on current from its datasheet; if not given, a lamp is taken at 15 x its running current and a power supply at 60 A at 230 V",
        }),
      ),
    },
    { additionalProperties: false, default: {} },
  );

export const FermenterSchema = T.Object(
  {
    id: T.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$', description: 'Used in MQTT topics and URLs' }),
    name: T.String({ minLength: 1, maxLength: 64 }),
    board: BoardSchema,
    sensors: T.Object(
      { beer: ProbeSchema, chamber: ProbeSchema, ambient: ProbeSchema },
      { additionalProperties: false, default: {} },
    ),
    outputs: T.Object(
      { heat: OutputSchema('resistive'), cool: OutputSchema('compressor') },
      { additionalProperties: false, default: {} },
    ),
    control: ControlSchema,
    safety: SafetySchema,
  },
  { additionalProperties: false },
);
export type FermenterConfig = Static<typeof FermenterSchema>;
