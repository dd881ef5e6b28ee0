// JSON Schemas of the history routes (contract B): query strings in, answers out. The front-end takes its
// types from them: import nothing that needs Node (the database, the reader).
import { type Static, Type as T } from '@sinclair/typebox';
import { IncidentSchema } from '../broker/incident-schema.js';
import { DEFAULT_MAX_POINTS, MAX_MAX_POINTS, MAX_TIME_MS } from './query-limits.js';

const Time = (what: string) =>
  T.Optional(T.Integer({ minimum: 0, maximum: MAX_TIME_MS, description: `${what}, epoch ms, inclusive` }));
const Fields = T.Optional(
  T.String({
    pattern: '^[A-Za-z]+(,[A-Za-z]+)*$',
    description:
      'Comma-separated: beerC, chamberC, ambientC, beerSetpointC, chamberSetpointC, heat, cool, gravity, ' +
      'hydrometerBatteryV; default all',
  }),
);

export const HistoryParamsSchema = T.Object({ id: T.String({ minLength: 1, maxLength: 128 }) });

export const HistoryQuerySchema = T.Object(
  {
    from: Time('Start; default 24 h before `to`'),
    to: Time("End; default the fermenter's newest reading"),
    fields: Fields,
    maxPoints: T.Integer({ minimum: 1, maximum: MAX_MAX_POINTS, default: DEFAULT_MAX_POINTS }),
  },
  { additionalProperties: false },
);
export type HistoryQueryString = Static<typeof HistoryQuerySchema>;

export const CsvQuerySchema = T.Object(
  {
    from: Time('Start; default 24 h before `to`'),
    to: Time('End; default the newest reading'),
    fields: Fields,
  },
  { additionalProperties: false },
);
export type CsvQueryString = Static<typeof CsvQuerySchema>;

export const RangeQuerySchema = T.Object(
  { from: Time('Start; default the beginning'), to: Time('End; default now') },
  { additionalProperties: false },
);
export type RangeQueryString = Static<typeof RangeQuerySchema>;

export const IncidentQuerySchema = T.Object(
  {
    fermenter: T.Optional(T.String({ minLength: 1, maxLength: 128, description: 'Only this fermenter' })),
    from: Time('Start'),
    to: Time('End'),
    limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);
export type IncidentQueryString = Static<typeof IncidentQuerySchema>;

const Values = T.Array(T.Union([T.Number(), T.Null()]));

export const HistoryAnswerSchema = T.Object({
  fermenterId: T.String(),
  from: T.Number(),
  to: T.Number(),
  level: T.Union(
    [T.Literal('raw'), T.Literal('10s'), T.Literal('1m'), T.Literal('5m'), T.Literal('15m'), T.Literal('1h')],
    {
      description: 'Where the points come from: raw readings or a rollup',
    },
  ),
  bucketMs: T.Union([T.Integer(), T.Null()], {
    description:
      "Width of each point's bucket (aligned to multiples of it since the epoch); null for raw points",
  }),
  fields: T.Array(T.String()),
  t: T.Array(T.Number(), { description: 'Start of each point, epoch ms' }),
  series: T.Record(T.String(), T.Object({ min: Values, mean: Values, max: Values }), {
    description: 'Per field, columns aligned with t; for raw points min = mean = max; null: no value',
  }),
});

const Nullable = <S extends ReturnType<typeof T.Number>>(s: S) => T.Union([s, T.Null()]);

export const HistoryEventSchema = T.Union([
  T.Object({
    at: T.Number(),
    kind: T.Literal('incident'),
    id: T.Number(),
    code: T.String(),
    severity: T.String(),
    message: T.String(),
  }),
  T.Object({
    at: T.Number(),
    kind: T.Literal('mode'),
    from: T.Union([T.String(), T.Null()]),
    to: T.String(),
  }),
  T.Object({
    at: T.Number(),
    kind: T.Literal('setpoint'),
    field: T.String(),
    from: Nullable(T.Number()),
    to: Nullable(T.Number()),
  }),
  T.Object({
    at: T.Number(),
    kind: T.Literal('profile-step'),
    from: Nullable(T.Number()),
    to: Nullable(T.Number()),
  }),
]);

export const EventListSchema = T.Object({
  events: T.Array(HistoryEventSchema, { description: 'Oldest first' }),
});
export const IncidentListSchema = T.Object({
  incidents: T.Array(IncidentSchema, { description: 'Newest first' }),
});
