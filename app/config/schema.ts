// JSON Schema of cobrew.yaml: the single source of truth for the application's settings, their types and
// their defaults. `cobrew config schema` prints it for editors and other tools.
import { type Static, Type as T } from '@sinclair/typebox';
import { AlertsSchema } from '../../alerts/config-schema.js';
import { BrokerLimitsSchema } from '../../broker/limits.js';
import { TILT_COLOURS } from '../../broker/tilt.js';
import { FermenterSchema } from '../../firmware-bridge/config-schema.js';
import { BrewfatherSchema } from '../../history/brewfather/config-schema.js';
import { HistorySchema } from '../../history/config-schema.js';
import { InfluxSchema } from '../../history/influx/config-schema.js';
import { CommonsConfigSchema } from '../../recipes/commons/config-schema.js';
import { TariffSchema } from '../../recipes/costs/tariff.js';
import { BackupScheduleSchema } from '../backup/config-schema.js';

const Host = (def: string) =>
  T.String({
    default: def,
    minLength: 1,
    description: 'Address to listen on; 0.0.0.0 listens on every interface',
  });
const Port = (def: number, description = 'TCP port; 0 lets the system pick a free one') =>
  T.Integer({ default: def, minimum: 0, maximum: 65535, description });

/**
 * What runs when there is no cobrew.yaml: two simulated fermenters in different rooms, enough to see the
 * whole path work. Only what differs from the fermenter defaults is written here; the schema fills the rest.
 */
const DEFAULT_FERMENTERS = [
  {
    id: 'ale',
    name: 'Ale – cuve 1',
    board: { type: 'sim', heaterMount: 'chamber', ambientMeanC: 20, startBeerC: 20 },
    control: { mode: 'beer', beerSetpointC: 18 },
  },
  {
    id: 'lager',
    name: 'Lager – cuve 2',
    board: {
      type: 'sim',
      heaterMount: 'vessel',
      heaterW: 60,
      ambientMeanC: 13,
      ambientSwingC: 1.5,
      startBeerC: 12,
    },
    control: { mode: 'beer', beerSetpointC: 10 },
  },
];

/** mqtt://, mqtts://, ws:// or wss://, a host, and nothing but an optional port and path after it. */
export const MQTT_URL_PATTERN = '^(mqtts?|wss?)://[^\\s/?#]+(/[^\\s?#]*)?$';
export const MQTT_URL_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'] as const;

export const ConfigSchema = T.Object(
  {
    role: T.Union([T.Literal('all'), T.Literal('bridge'), T.Literal('hub')], {
      default: 'all',
      description:
        'What this process runs (docs/topology.md). all: everything. bridge: the fermenters (boards, control, ' +
        'safety), their MQTT publishing, commands and Home Assistant discovery, for a Raspberry Pi next to the ' +
        'fridges. hub: the dashboard, history and recipes, fed by the bridges over a shared broker',
    }),
    http: T.Object(
      {
        host: Host('127.0.0.1'),
        port: Port(8080),
        trustProxy: T.Union([T.Boolean(), T.Array(T.String({ minLength: 1 }), { minItems: 1 })], {
          default: false,
          description:
            'Behind a reverse proxy (TLS): true, or the proxy addresses or CIDRs, to believe its ' +
            'X-Forwarded-For (the client address the login limit counts) and X-Forwarded-Proto (https makes ' +
            'the session cookie Secure)',
        }),
        secureCookies: T.Union([T.Literal('auto'), T.Literal('always')], {
          default: 'auto',
          description:
            'auto: the session cookie is Secure when the request came over https (directly or through a ' +
            'trusted proxy); always: Secure in any case, for a TLS proxy that does not say X-Forwarded-Proto',
        }),
        allowedHosts: T.Array(T.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' }), {
          default: [],
          maxItems: 64,
          description:
            'Host names the dashboard answers for besides IP addresses, localhost and this machine’s name ' +
            '(e.g. brewery.example.org behind a proxy); any other Host header is refused (DNS rebinding)',
        }),
        publicStatus: T.Boolean({
          default: false,
          description:
            'Show /status (every fermenter) without logging in, e.g. on a kiosk screen in the brewery; off: ' +
            'only logged-in users see it',
        }),
      },
      { additionalProperties: false, default: {}, description: 'The dashboard, its API and its accounts' },
    ),
    mqtt: T.Object(
      {
        host: Host('127.0.0.1'),
        port: Port(1883),
        wsPort: Port(9001, 'MQTT over WebSocket, for browsers; 0 lets the system pick a free port'),
        baseTopic: T.String({
          default: 'cobrew',
          pattern: '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$',
          description: 'First level(s) of every topic, e.g. cobrew/fermenter/<id>/state',
        }),
        statePeriodMs: T.Integer({
          default: 1000,
          minimum: 50,
          maximum: 1000,
          description:
            'Routine states are published at most this often (wall time); changes of outputs, mode, profile step or safety ' +
            'go out at once. At most 1000 so a fermenter in real time is published every second.',
        }),
        backlog: T.Object(
          {
            maxReadings: T.Integer({
              default: 500_000,
              minimum: 1000,
              maximum: 50_000_000,
              description: 'Most states kept; past it the oldest go',
            }),
            maxMb: T.Integer({
              default: 128,
              minimum: 1,
              maximum: 16_384,
              description: 'Most megabytes of states kept; past it the oldest go',
            }),
          },
          {
            additionalProperties: false,
            default: {},
            description:
              'States a bridge could not publish while the broker was away wait in <data dir>/bridge-backlog.db ' +
              'and are sent on <baseTopic>/fermenter/<id>/replay once it is back, so history has no gap',
          },
        ),
        anonymous: T.Union([T.Literal('refuse'), T.Literal('viewer')], {
          default: 'refuse',
          description:
            'Clients without a user name are refused, or may read <baseTopic>/# as viewers. Users are managed ' +
            'with `cobrew mqtt-user` and kept hashed in <data dir>/mqtt-users.json',
        }),
        limits: BrokerLimitsSchema,
        bridgeId: T.Optional(
          T.String({
            pattern: '^[a-z0-9][a-z0-9_-]{0,31}$',
            description:
              'Names this bridge on MQTT (<baseTopic>/bridge/<bridgeId>/…), and its account on the embedded ' +
              'broker; the host name by default. Each bridge sharing a broker needs its own',
          }),
        ),
        url: T.Optional(
          T.String({
            pattern: MQTT_URL_PATTERN,
            description:
              'An external broker, e.g. mqtts://broker.lan:8883 (mqtt://, mqtts://, ws:// or wss://). When set, ' +
              'no embedded broker is started and host, port, wsPort, anonymous and limits are not used; every ' +
              'cobrew client logs in with username and password',
          }),
        ),
        username: T.Optional(
          T.String({ minLength: 1, description: "cobrew's account on the external broker (mqtt.url)" }),
        ),
        password: T.Optional(T.String({ description: 'The password of mqtt.username' })),
        ca: T.Optional(
          T.String({
            minLength: 1,
            description:
              "PEM file of the certificate authority that signed an mqtts:// or wss:// broker's certificate, " +
              'when it is not one the system trusts; relative to cobrew.yaml',
          }),
        ),
        mosquitto: T.Object(
          {
            managed: T.Boolean({
              default: false,
              description:
                'Run Mosquitto (MQTT 5, for Home Assistant) as the broker instead of the embedded one: cobrew ' +
                'writes its password file and ACL from `cobrew mqtt-user` users and roles into ' +
                '<data dir>/mosquitto/ and starts it on host, port and wsPort',
            }),
            binary: T.String({
              default: '/usr/sbin/mosquitto',
              minLength: 1,
              description: 'The mosquitto program (Debian package mosquitto)',
            }),
          },
          {
            additionalProperties: false,
            default: {},
            description: 'A Mosquitto run by cobrew as its broker',
          },
        ),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'The embedded MQTT broker, or the external one given by url',
      },
    ),
    ispindels: T.Array(
      T.Object(
        {
          name: T.String({
            minLength: 1,
            maxLength: 64,
            pattern: '^[^/#+]+$',
            description: "The iSpindel's name, as set in its configuration portal (its MQTT topic level)",
          }),
          fermenter: T.String({ minLength: 1, description: 'The id of the fermenter it floats in' }),
          unit: T.Optional(
            T.Union([T.Literal('sg'), T.Literal('plato')], {
              description:
                "What its formula outputs: sg or plato (the iSpindel's default formula gives °Plato). Unset, a " +
                'gravity between 0.98 and 1.2 is refused, since it could be either',
            }),
          ),
          token: T.Optional(
            T.String({
              minLength: 8,
              maxLength: 256,
              description:
                "The token its HTTP posts must carry (the portal's Token field), compared in constant time. " +
                'Without one, posts to /api/ispindel are trusted: anyone on the LAN may post',
            }),
          ),
          calibration: T.Optional(
            T.Object(
              {
                points: T.Array(
                  T.Object(
                    {
                      angle: T.Number({ minimum: 0, maximum: 90, description: 'Tilt angle, degrees' }),
                      gravity: T.Number({ minimum: 0.98, maximum: 1.2, description: 'Specific gravity' }),
                    },
                    { additionalProperties: false },
                  ),
                  { minItems: 2, maxItems: 32 },
                ),
                degree: T.Integer({
                  minimum: 1,
                  maximum: 3,
                  default: 2,
                  description: 'Degree of the polynomial fitted through the points (at most points − 1)',
                }),
              },
              {
                additionalProperties: false,
                description:
                  "cobrew's own calibration: gravity from the tilt angle by a polynomial fitted to these " +
                  "points (angle in the iSpindel's readings, gravity by hydrometer); the device's gravity field is then ignored",
              },
            ),
          ),
          calibratedAtC: T.Optional(
            T.Number({
              minimum: 0,
              maximum: 40,
              description:
                'Temperature (°C) its gravity is true at: readings at other temperatures are corrected, as for a hydrometer',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          "iSpindel hydrometers and their fermenters: gravity and battery join that fermenter's state. " +
          'They publish on MQTT (ispindel/<name>/…) or post JSON to http://<cobrew>/api/ispindel',
      },
    ),
    tilts: T.Array(
      T.Object(
        {
          colour: T.Union(
            TILT_COLOURS.map((c) => T.Literal(c)),
            { description: "The Tilt's colour, which is its identity (one Tilt per colour)" },
          ),
          fermenter: T.String({ minLength: 1, description: 'The id of the fermenter it floats in' }),
          gravityOffset: T.Number({
            default: 0,
            minimum: -0.05,
            maximum: 0.05,
            description: 'Added to every gravity it sends: its error against a hydrometer, e.g. -0.002',
          }),
          token: T.Optional(
            T.String({
              minLength: 8,
              maxLength: 256,
              description:
                'Secret a TiltBridge post must carry as `?token=` in its URL; without one, only a logged-in ' +
                "brewer's posts are taken (a reading can end a profile step)",
            }),
          ),
        },
        { additionalProperties: false },
      ),
      {
        default: [],
        description:
          'Tilt hydrometers by colour and their fermenters, forwarded by a TiltBridge (POST http://<cobrew>/api/tilt)',
      },
    ),
    tiltBluetooth: T.Boolean({
      default: false,
      description:
        "Scan this machine's Bluetooth adapter for the Tilts under `tilts:` (needs the optional @stoprocent/noble); " +
        'off, Tilts come only from TiltBridge posts',
    }),
    homeAssistant: T.Object(
      {
        enabled: T.Boolean({
          default: true,
          description: 'Announce every fermenter to Home Assistant by MQTT discovery (retained configs)',
        }),
        discoveryPrefix: T.String({
          default: 'homeassistant',
          pattern: '^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$',
          description: "Home Assistant's discovery prefix",
        }),
      },
      { additionalProperties: false, default: {}, description: 'Home Assistant MQTT discovery' },
    ),
    history: HistorySchema,
    influx: T.Optional(InfluxSchema),
    brewfather: T.Optional(BrewfatherSchema),
    commons: CommonsConfigSchema,
    tariff: TariffSchema,
    backup: T.Optional(BackupScheduleSchema),
    alerts: AlertsSchema,
    sim: T.Object(
      {
        speed: T.Number({
          default: 1,
          exclusiveMinimum: 0,
          description:
            'How much faster than real time simulated fermenters run, e.g. 60: a minute per second',
        }),
      },
      { additionalProperties: false, default: {} },
    ),
    fermenters: T.Array(FermenterSchema, {
      default: DEFAULT_FERMENTERS,
      description: 'Fermenter ids must be unique',
    }),
  },
  { additionalProperties: false, title: 'cobrew.yaml' },
);
export type CobrewConfig = Static<typeof ConfigSchema>;
