// JSON Schema of cobrew.yaml: the single source of truth for the application's settings, their types and
// their defaults. `cobrew config schema` prints it for editors and other tools.
import { type Static, Type as T } from '@sinclair/typebox';
import { AlertsSchema } from '../../alerts/config-schema.js';
import { BrokerLimitsSchema } from '../../broker/limits.js';
import { FermenterSchema } from '../../firmware-bridge/config-schema.js';
import { HistorySchema } from '../../history/config-schema.js';
import { InfluxSchema } from '../../history/influx/config-schema.js';
import { CommonsConfigSchema } from '../../recipes/commons/config-schema.js';

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
        anonymous: T.Union([T.Literal('refuse'), T.Literal('viewer')], {
          default: 'refuse',
          description:
            'Clients without a user name are refused, or may read <baseTopic>/# as viewers. Users are managed ' +
            'with `cobrew mqtt-user` and kept hashed in <data dir>/mqtt-users.json',
        }),
        limits: BrokerLimitsSchema,
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
    commons: CommonsConfigSchema,
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
