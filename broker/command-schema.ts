// JSON Schemas of <base>/fermenter/<id>/set (a command) and <base>/fermenter/<id>/set/response (its answer).
// Values and limits come from the fermenter's command API, which takes them from cobrew.yaml's control schema.
import { type Static, Type as T } from '@sinclair/typebox';
import {
  BeerSetpointValue,
  ChamberSetpointValue,
  ExtendStepValue,
  FromStepValue,
  ModeValue,
  NextStepsValue,
  ProfileStepsValue,
} from '../firmware-bridge/commands.js';

/** The keys that each make a command; a message carries exactly one of them. */
export const COMMAND_KEYS = [
  'mode',
  'beerSetpointC',
  'chamberSetpointC',
  'targetC',
  'profile',
  'extendStepH',
  'nextSteps',
  'clearTrip',
] as const;

const fields = {
  mode: T.Optional(ModeValue),
  beerSetpointC: T.Optional(BeerSetpointValue),
  chamberSetpointC: T.Optional(ChamberSetpointValue),
  targetC: T.Optional(
    T.Number({
      minimum: Math.min(BeerSetpointValue.minimum ?? 0, ChamberSetpointValue.minimum ?? 0),
      maximum: Math.max(BeerSetpointValue.maximum ?? 0, ChamberSetpointValue.maximum ?? 0),
      description:
        "The target of the mode the fermenter is in (what Home Assistant's thermostat sets): the chamber " +
        'setpoint in chamber mode, the beer setpoint in beer or off mode; refused in profile mode, where the ' +
        'profile sets the target',
    }),
  ),
  profile: T.Optional(
    T.Union(
      [T.Literal('start'), T.Literal('stop'), T.Literal('skip'), T.Literal('hold'), T.Literal('resume')],
      {
        description:
          'start: run the profile from its first step (or fromStep); stop: hold the beer where the profile is; ' +
          'skip: end the running step now, the next starting from where the target had got to; hold: pause ' +
          "the running step's clock, its target standing still, until resume",
      },
    ),
  ),
  steps: T.Optional(ProfileStepsValue),
  fromStep: T.Optional(FromStepValue),
  extendStepH: T.Optional(ExtendStepValue),
  nextSteps: T.Optional(NextStepsValue),
  clearTrip: T.Optional(
    T.Literal(true, { description: 'Clear latched trips and alarms; refused while a condition persists' }),
  ),
  transaction: T.Optional(
    T.String({ maxLength: 128, description: 'Any text of yours, echoed in the response' }),
  ),
  by: T.Optional(
    T.String({
      minLength: 1,
      maxLength: 64,
      description:
        'Who asked, as the sender vouches for it (the dashboard sends the logged-in person): kept with the ' +
        'fermenter\'s stored intent as "<by> via MQTT". Where the bridge checks batch rights (an external ' +
        "broker), the person the fermenter's batch must list",
    }),
  ),
  byAdmin: T.Optional(
    T.Literal(true, {
      description:
        "The sender vouches that `by` is one of the space's admins, who may control any batch (the dashboard " +
        'sends it for its admins)',
    }),
  ),
};

/** The keys and their values alone: what the set handler checks first, for messages that name one key each. */
export const CommandFieldsSchema = T.Object(fields, { additionalProperties: false });

export const CommandSchema = T.Object(fields, {
  additionalProperties: false,
  oneOf: COMMAND_KEYS.map((k) => ({ required: [k] })),
  allOf: ['steps', 'fromStep'].map((k) => ({
    if: { required: [k] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
    then: { required: ['profile'], properties: { profile: { const: 'start' } } },
  })),
  description:
    'One command on <base>/fermenter/<id>/set: exactly one of mode, beerSetpointC, chamberSetpointC, targetC, profile, ' +
    'extendStepH, nextSteps, clearTrip; steps and fromStep only with {"profile": "start"}. Do not retain commands.',
});
export type Command = Static<typeof CommandSchema>;

export const CommandResponseSchema = T.Object(
  {
    status: T.Union([T.Literal('ok'), T.Literal('error')]),
    error: T.Optional(
      T.Object({
        code: T.String({ pattern: '^COBREW_ERR_[A-Z0-9_]+$' }),
        message: T.String({ description: 'The problem and how to fix it, in English' }),
      }),
    ),
    transaction: T.Optional(T.String({ description: "The command's transaction, when it had a valid one" })),
  },
  {
    additionalProperties: false,
    if: { properties: { status: { const: 'error' } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, never awaited
    then: { required: ['error'] },
    else: { not: { required: ['error'] } },
    description: 'The answer to each command, on <base>/fermenter/<id>/set/response, QoS 1, not retained',
  },
);
export type CommandResponse = Static<typeof CommandResponseSchema>;
