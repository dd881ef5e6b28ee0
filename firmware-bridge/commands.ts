// What a person or an automation may change on a running fermenter, with the limits of cobrew.yaml's control
// section. The schemas copy ControlSchema's bounds but none of its defaults: a command that leaves a value out
// must not have one filled in.
import createError from '@fastify/error';
import { type Static, Type as T, type TNumber } from '@sinclair/typebox';
import { schemaChecker } from '../common/schema-check.js';
import { ControlSchema } from './config-schema.js';
import type { ProfileStep } from './control/profile-runner.js';
import type { ControlMode, SafetyCode } from './types.js';

/**
 * The commands a running fermenter takes. Each throws a typed COBREW_ERR_… error and changes nothing when
 * refused; a change is stored before it returns. `by` says who sent it, for the stored intent.
 */
export interface FermenterCommands {
  setMode(mode: ControlMode, by?: string): void;
  setBeerSetpoint(c: number, by?: string): void;
  setChamberSetpoint(c: number, by?: string): void;
  /** `fromStep` (from 0) starts the profile at that step rather than the first. */
  startProfile(steps?: readonly ProfileStep[], by?: string, fromStep?: number): void;
  stopProfile(by?: string): void;
  /** Operations on the running profile: each throws COBREW_ERR_PROFILE_NOT_RUNNING when no step runs. */
  skipStep(by?: string): void;
  /** Pauses the running step's clock until resumeStep(). */
  holdStep(by?: string): void;
  resumeStep(by?: string): void;
  extendStep(hours: number, by?: string): void;
  /** Replaces the steps after the running one, without restarting it. */
  replaceNextSteps(steps: readonly ProfileStep[], by?: string): void;
  clearTrip(by: string): SafetyCode[];
}

/** A fermenter's commands with its id, as the set handler and the journal take them; the fleet's handle is one. */
export interface CommandTarget extends FermenterCommands {
  readonly id: string;
}

const control = ControlSchema.properties;
const step = control.profile.items.properties;

const bounded = (from: TNumber, description: string) =>
  T.Number({ minimum: from.minimum, maximum: from.maximum, description });

export const ModeValue = T.Union(control.mode.anyOf, {
  description:
    'off: every output off; beer: hold the beer at beerSetpointC; chamber: hold the chamber air at ' +
    'chamberSetpointC; profile: follow the profile',
});
export const BeerSetpointValue = bounded(control.beerSetpointC, 'Beer target in °C (beer mode)');
export const ChamberSetpointValue = bounded(control.chamberSetpointC, 'Chamber target in °C (chamber mode)');
/** The most steps a profile has. */
export const MAX_PROFILE_STEPS = 100;
export const ProfileStepValue = T.Object(
  {
    type: T.Union(step.type.anyOf),
    targetC: bounded(step.targetC, 'Beer target at the end of the step in °C'),
    durationH: T.Number({
      minimum: step.durationH.minimum,
      description: 'Length of the step in hours (the longest, with until)',
    }),
    // A step's own gravity conditions: their defaults belong to the step, not to a value left unchanged.
    until: step.until,
  },
  { additionalProperties: false },
);
export const ProfileStepsValue = T.Array(ProfileStepValue, {
  minItems: 1,
  maxItems: MAX_PROFILE_STEPS,
  description: 'Replaces the configured profile until cobrew restarts',
});
export type ProfileSteps = Static<typeof ProfileStepsValue>;
export const FromStepValue = T.Integer({
  minimum: 0,
  maximum: MAX_PROFILE_STEPS - 1,
  description:
    "Start the profile at this step (index from 0, as the state's profileStep) instead of the first",
});
export const ExtendStepValue = T.Number({
  exclusiveMinimum: 0,
  maximum: 720,
  description: 'Hours added to the running profile step (at most 30 days at a time)',
});
export const NextStepsValue = T.Array(ProfileStepValue, {
  minItems: 0,
  maxItems: MAX_PROFILE_STEPS - 1,
  description:
    'The steps to follow the running one, replacing those still to come; the running step goes on as it is ' +
    '(an empty list ends the profile after it)',
});

const modeChecker = schemaChecker(T.Object({ mode: ModeValue }), 'The mode');
const beerChecker = schemaChecker(T.Object({ beerSetpointC: BeerSetpointValue }), 'The beer setpoint');
const chamberChecker = schemaChecker(
  T.Object({ chamberSetpointC: ChamberSetpointValue }),
  'The chamber setpoint',
);
const stepsChecker = schemaChecker(T.Object({ steps: ProfileStepsValue }), 'The profile');
const fromStepChecker = schemaChecker(T.Object({ fromStep: FromStepValue }), 'The start step');
const extendChecker = schemaChecker(T.Object({ extendStepH: ExtendStepValue }), 'The extension');
const nextChecker = schemaChecker(T.Object({ nextSteps: NextStepsValue }), 'The steps to come');

// Each throws COBREW_ERR_INVALID naming the value and what is allowed.
export const checkMode = (mode: unknown) => modeChecker({ mode }).mode;
export const checkBeerSetpoint = (c: unknown) => beerChecker({ beerSetpointC: c }).beerSetpointC;
export const checkChamberSetpoint = (c: unknown) => chamberChecker({ chamberSetpointC: c }).chamberSetpointC;
/** Returns a copy, so the caller's array cannot change a running profile later. */
export const checkProfileSteps = (steps: unknown): ProfileSteps =>
  stepsChecker({ steps: structuredClone(steps) }).steps;

export const checkFromStep = (n: unknown) => fromStepChecker({ fromStep: n }).fromStep;
export const checkExtendHours = (h: unknown) => extendChecker({ extendStepH: h }).extendStepH;
export const checkNextSteps = (steps: unknown): ProfileSteps =>
  nextChecker({ nextSteps: structuredClone(steps) }).nextSteps;

export const NoProfileError = createError<'COBREW_ERR_NO_PROFILE', [string]>(
  'COBREW_ERR_NO_PROFILE',
  'Fermenter %s has no profile steps to run; give the steps with the start command, or set control.profile in cobrew.yaml',
  409,
);

export const FermenterStoppedError = createError<'COBREW_ERR_FERMENTER_STOPPED', [string, string]>(
  'COBREW_ERR_FERMENTER_STOPPED',
  'Fermenter %s is stopped (%s) and takes no more commands; restart cobrew to run it again',
  409,
);

export const ProfileNotRunningError = createError<'COBREW_ERR_PROFILE_NOT_RUNNING', [string, string]>(
  'COBREW_ERR_PROFILE_NOT_RUNNING',
  'Fermenter %s has no profile step running (%s); start its profile first (mode "profile", or {"profile": "start"})',
  409,
);

export const NoSuchStepError = createError<'COBREW_ERR_NO_SUCH_STEP', [string, number, number]>(
  'COBREW_ERR_NO_SUCH_STEP',
  'Fermenter %s cannot start its profile at step %d: the profile has %d steps (counted from 0); choose one of them',
  400,
);
