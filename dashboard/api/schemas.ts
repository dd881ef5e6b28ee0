// JSON Schemas of the API's inputs and outputs that are not the dashboard's older ones (../api-schema.ts).
// The front-end takes its types from them: import nothing that needs Node (the accounts database).
import { type Static, Type as T } from '@sinclair/typebox';
import { CommandFieldsSchema } from '../../broker/command-schema.js';
import { RoleSchema } from '../../common/roles.js';
import { AUDIT_RESULTS } from '../accounts/audit-results.js';

export const UserSchema = T.Object({ name: T.String(), role: RoleSchema });

export const MeSchema = T.Object({
  user: UserSchema,
  csrfToken: T.String({
    description: 'Send it as the x-csrf-token header with every POST, PUT, PATCH, DELETE',
  }),
});

export const LoginBodySchema = T.Object(
  {
    name: T.String({ minLength: 1, maxLength: 64 }),
    password: T.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBodySchema>;

export const FermenterParamsSchema = T.Object({ id: T.String({ minLength: 1, maxLength: 128 }) });

/** The MQTT set command (broker/command-schema.ts) without its transaction and admin flag, which the server adds. */
export const SetCommandSchema = T.Omit(CommandFieldsSchema, ['transaction', 'byAdmin'], {
  additionalProperties: false,
  description:
    'Exactly one of mode, beerSetpointC, chamberSetpointC, profile, extendStepH, nextSteps, clearTrip; ' +
    'steps and fromStep only with {"profile": "start"}. Needs the brewer role.',
});
export type SetCommand = Static<typeof SetCommandSchema>;

export const SetAnswerSchema = T.Object({
  status: T.Literal('ok'),
  transaction: T.String({ description: 'The MQTT transaction the command went out with' }),
});

/** An alert acknowledged, from the dashboard or by the link of a message (fermenterId "-" for the space). */
export const AckCommandSchema = T.Object(
  {
    acknowledge: T.String({ description: 'The alert id' }),
    alert: T.String({ description: 'Its kind: trip, offline, out-of-band, …' }),
    via: T.Union([T.Literal('dashboard'), T.Literal('link')]),
  },
  { additionalProperties: false },
);

export const AuditEntrySchema = T.Object({
  id: T.Integer(),
  at: T.Number({ description: 'Wall time, epoch ms' }),
  user: T.String(),
  fermenterId: T.String(),
  command: T.Union([SetCommandSchema, AckCommandSchema]),
  result: T.Union(
    AUDIT_RESULTS.map((r) => T.Literal(r)),
    {
      description:
        'ok: applied; refused: the bridge said no (see error); timeout: no answer in time; unsent: no broker',
    },
  ),
  error: T.Union([T.Object({ code: T.String(), message: T.String() }), T.Null()]),
});

export const AuditQuerySchema = T.Object(
  {
    fermenter: T.Optional(T.String({ minLength: 1, maxLength: 128 })),
    from: T.Optional(T.Integer({ description: 'Epoch ms, inclusive' })),
    to: T.Optional(T.Integer({ description: 'Epoch ms, inclusive' })),
    limit: T.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
  },
  { additionalProperties: false },
);
export type AuditQueryString = Static<typeof AuditQuerySchema>;

export const AuditListSchema = T.Object({
  entries: T.Array(AuditEntrySchema, { description: 'Newest first' }),
});
