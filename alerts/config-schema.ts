// The `alerts:` section of cobrew.yaml. Every rule is on from the first start with the defaults below;
// people's own addresses are set in the dashboard, the space's servers (SMTP, Telegram) and rota here.
import { type Static, Type as T } from '@sinclair/typebox';
import { SpaceDefaultsSchema } from './contact-schema.js';

const Minutes = (def: number, description: string, max = 10_080) =>
  T.Number({ default: def, minimum: 0.1, maximum: max, description });
const Hours = (def: number, description: string) =>
  T.Number({ default: def, minimum: 0.1, maximum: 720, description });
const Clock = T.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, local time' });
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const RotaSlotSchema = T.Object(
  {
    user: T.String({ minLength: 1, maxLength: 64, description: 'A dashboard user name' }),
    days: T.Array(T.Union(DAYS.map((d) => T.Literal(d))), { minItems: 1, maxItems: 7, uniqueItems: true }),
    from: Clock,
    to: T.String({
      pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
      description: 'HH:MM, local time; before `from` runs past midnight into the next day',
    }),
  },
  { additionalProperties: false },
);
export type RotaSlot = Static<typeof RotaSlotSchema>;

const BandSchema = T.Object(
  {
    bandC: T.Number({
      minimum: 0.1,
      maximum: 20,
      description: 'Allowed distance of the beer from its target, °C',
    }),
    minutes: Minutes(60, 'How long the beer may stay outside the band without getting closer'),
  },
  { additionalProperties: false },
);

export const AlertsSchema = T.Object(
  {
    enabled: T.Boolean({ default: true, description: 'Raise alerts and send them to people' }),
    publicUrl: T.String({
      default: 'http://localhost:8080/',
      pattern: '^https?://[^\\s]+/$',
      description:
        'The dashboard as people reach it (ending in /): links to incidents and acknowledgement links in messages',
    }),
    rules: T.Object(
      {
        incidents: T.Boolean({
          default: true,
          description: 'Every safety trip (critical) and alarm (warning)',
        }),
        offlineAfterS: T.Integer({
          default: 120,
          minimum: 5,
          maximum: 86_400,
          description:
            'A fermenter whose availability is offline, or that sent no state for this long, is offline',
        }),
        outOfBand: T.Object(
          {
            enabled: T.Boolean({ default: true }),
            bandC: T.Number({ default: 1, minimum: 0.1, maximum: 20 }),
            minutes: Minutes(60, 'Beer outside the band, not getting closer by 0.5 °C, for this long'),
            fermenters: T.Record(T.String({ minLength: 1 }), BandSchema, {
              default: {},
              description: 'Per fermenter id: its own band and delay',
            }),
          },
          {
            additionalProperties: false,
            default: {},
            description: 'Beer away from its target with no trip to explain it',
          },
        ),
        boards: T.Boolean({
          default: true,
          description: 'Board resets, firmware failsafes, modified boards starting',
        }),
        hydrometer: T.Object(
          {
            enabled: T.Boolean({ default: true }),
            stableHours: Hours(24, 'Gravity within stableSg for this long: fermentation done'),
            stableSg: T.Number({ default: 0.001, minimum: 0.0001, maximum: 0.01 }),
            finalGravity: T.Record(T.String({ minLength: 1 }), T.Number({ minimum: 0.98, maximum: 1.2 }), {
              default: {},
              description:
                'Per fermenter id: the expected final gravity; stable more than stuckMarginSg above it is stuck, not done',
            }),
            stuckMarginSg: T.Number({ default: 0.004, minimum: 0.001, maximum: 0.05 }),
            silentHours: Hours(2, 'No gravity for this long from a hydrometer that reported'),
            batteryLowV: T.Number({ default: 3.5, minimum: 2, maximum: 5 }),
          },
          { additionalProperties: false, default: {} },
        ),
        space: T.Object(
          {
            enabled: T.Boolean({ default: true, description: 'History store, InfluxDB mirror, disk space' }),
            diskFreePercent: T.Number({ default: 5, minimum: 0.1, maximum: 50 }),
            checkEveryS: T.Integer({ default: 60, minimum: 1, maximum: 3600 }),
          },
          { additionalProperties: false, default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    escalateAfterMinutes: Minutes(
      15,
      'Unacknowledged for this long: the next person on the rota, then the admins',
    ),
    groupSeconds: T.Integer({
      default: 300,
      minimum: 0,
      maximum: 86_400,
      description:
        'A condition that clears and comes back within this time is the same alert; "resolved" is sent once it stayed clear this long',
    }),
    perChannelPerHour: T.Integer({
      default: 20,
      minimum: 1,
      maximum: 3600,
      description: 'Messages per person and channel per hour, at most; more wait for the next free slot',
    }),
    ackLinkHours: Hours(24, 'How long a one-click acknowledgement link in a message works'),
    quietHours: T.Object(
      { from: Clock, to: Clock },
      {
        default: { from: '22:00', to: '07:00' },
        additionalProperties: false,
        description:
          'Default quiet hours for warnings (each person may set their own); critical alerts go through',
      },
    ),
    timeZone: T.Optional(
      T.String({
        minLength: 1,
        description: 'IANA zone of the rota and quiet hours; the system zone if absent',
      }),
    ),
    rota: T.Array(RotaSlotSchema, {
      default: [],
      maxItems: 500,
      description:
        'Who is on duty when (weekly slots); admins edit it in the dashboard, which then takes over',
    }),
    defaults: SpaceDefaultsSchema,
    email: T.Optional(
      T.Object(
        {
          host: T.String({ minLength: 1 }),
          port: T.Integer({ default: 587, minimum: 1, maximum: 65535 }),
          tls: T.Union([T.Literal('starttls'), T.Literal('tls'), T.Literal('none')], {
            default: 'starttls',
            description:
              'starttls: upgrade required (587); tls: TLS from the start (465); none: plain, local relays only',
          }),
          username: T.Optional(T.String({ minLength: 1 })),
          password: T.Optional(T.String()),
          from: T.String({ minLength: 3, description: 'Sender, e.g. "cobrew <cobrew@example.org>"' }),
        },
        { additionalProperties: false, description: 'The SMTP server alerts are mailed through' },
      ),
    ),
    telegram: T.Optional(
      T.Object(
        {
          botToken: T.String({ minLength: 10, description: 'The bot token from @BotFather' }),
          apiUrl: T.String({ default: 'https://api.telegram.org', pattern: '^https?://[^\\s]+[^/]$' }),
        },
        { additionalProperties: false },
      ),
    ),
    timeoutMs: T.Integer({
      default: 10_000,
      minimum: 100,
      maximum: 120_000,
      description: 'Per delivery attempt',
    }),
    maxAttempts: T.Integer({
      default: 12,
      minimum: 1,
      maximum: 100,
      description: 'Before a delivery is given up',
    }),
  },
  { additionalProperties: false, default: {}, description: 'Alerts to people (docs/alerts.md)' },
);
export type AlertsSettings = Static<typeof AlertsSchema>;
