// JSON Schema of the payload on <base>/fermenter/<id>/incident: one safety incident, as the guard raised it.
import { Type as T } from '@sinclair/typebox';

const NullableNumber = T.Union([T.Number(), T.Null()]);
const SafetyCode = T.TemplateLiteral([T.Literal('COBREW_ERR_'), T.String()]);
const Outputs = T.Object({ heat: T.Boolean(), cool: T.Boolean() });

// Extra keys are allowed so that a newer bridge can add fields without older subscribers dropping incidents.
export const IncidentSchema = T.Object(
  {
    id: T.Number({ description: 'Increasing per fermenter since the bridge started' }),
    fermenterId: T.String({ minLength: 1 }),
    code: SafetyCode,
    severity: T.Union([T.Literal('trip'), T.Literal('alarm')], {
      description: 'trip: outputs forced off and latched until cleared; alarm: a person should look',
    }),
    at: T.Number({ description: 'Epoch milliseconds of the bridge clock' }),
    message: T.String({ description: 'What happened and what to do, in English' }),
    context: T.Object({
      recent: T.Array(
        T.Object({ at: T.Number(), beer: NullableNumber, chamber: NullableNumber, ambient: NullableNumber }),
        { description: 'The last raw readings before the incident, oldest first' },
      ),
      outputs: Outputs,
      settings: T.Record(T.String(), T.Unknown(), { description: 'Mode, setpoints and configuration then' }),
      detail: T.Optional(T.Record(T.String(), T.Unknown())),
    }),
  },
  { description: 'One safety incident, published at QoS 1, not retained, on <base>/fermenter/<id>/incident' },
);
