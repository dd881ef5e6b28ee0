// JSON Schema of the HTTP API's answers; fastify serialises responses with them.
import { Type as T } from '@sinclair/typebox';
import { FermenterStateSchema } from '../broker/state-schema.js';

export const FermenterViewSchema = T.Object({
  id: T.String(),
  name: T.String(),
  state: T.Union([FermenterStateSchema, T.Null()], {
    description: 'null until the first state is heard',
  }),
  receivedAt: T.Union([T.Number(), T.Null()], { description: 'Wall time the state arrived, epoch ms' }),
  online: T.Union([T.Boolean(), T.Null()], {
    description: "The fermenter's availability topic: true online, false offline, null not heard yet",
  }),
});

export const FermenterListSchema = T.Object({ fermenters: T.Array(FermenterViewSchema) });

export const HealthSchema = T.Object({
  status: T.Union([T.Literal('ok'), T.Literal('degraded')]),
  mqtt: T.Union([T.Literal('connected'), T.Literal('disconnected')]),
});

export const IspindelAcceptedSchema = T.Object({
  status: T.Literal('ok'),
  fermenter: T.String({ description: 'The fermenter the iSpindel is mapped to' }),
  gravity: T.Union([T.Number(), T.Null()], { description: 'Specific gravity as cobrew took it' }),
});
