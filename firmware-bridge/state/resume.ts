// Which intent a fermenter starts with: the stored one, unless there is none, it only repeated a cobrew.yaml
// that has changed since, or it can no longer run. docs/configuration.md states the same precedence.
import { createHash } from 'node:crypto';
import { checkBeerSetpoint, checkChamberSetpoint, checkMode, checkProfileSteps } from '../commands.js';
import type { ControlConfig } from '../config-schema.js';
import type { ControlIntent } from './control-state.js';

/** Who made an intent taken from the configuration. */
export const FROM_CONFIG = 'cobrew.yaml';

export interface ResumeNote {
  from: 'stored' | 'config';
  /** In words, for the log and the journal. */
  reason: string;
}

export function configDigest(control: ControlConfig): string {
  const { mode, beerSetpointC, chamberSetpointC, profile } = control;
  const text = JSON.stringify({ mode, beerSetpointC, chamberSetpointC, profile });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The intent cobrew.yaml gives, as of `now`. */
export function configuredIntent(control: ControlConfig, now: number): ControlIntent {
  return {
    mode: control.mode,
    beerSetpointC: control.beerSetpointC,
    chamberSetpointC: control.chamberSetpointC,
    profile: structuredClone(control.profile),
    profileStartAt: now,
    progress: null,
    changedBy: FROM_CONFIG,
    changedAt: now,
    configDigest: configDigest(control),
  };
}

export function resumeIntent(
  stored: ControlIntent | null,
  configured: ControlIntent,
): { intent: ControlIntent; note: ResumeNote } {
  if (stored === null)
    return { intent: configured, note: { from: 'config', reason: 'no stored intent yet' } };
  if (stored.changedBy === FROM_CONFIG && stored.configDigest !== configured.configDigest) {
    return {
      intent: configured,
      note: { from: 'config', reason: "cobrew.yaml's control section changed since the intent was stored" },
    };
  }
  const problem = whyNotRunnable(stored);
  if (problem !== null) {
    return {
      intent: configured,
      note: { from: 'config', reason: `the stored intent can no longer run (${problem})` },
    };
  }
  const when = new Date(stored.changedAt).toISOString();
  return {
    intent: stored,
    note: { from: 'stored', reason: `as last set by ${stored.changedBy} at ${when}` },
  };
}

function whyNotRunnable(i: ControlIntent): string | null {
  try {
    checkMode(i.mode);
    checkBeerSetpoint(i.beerSetpointC);
    checkChamberSetpoint(i.chamberSetpointC);
    if (i.profile.length > 0) checkProfileSteps(i.profile);
  } catch (err) {
    return (err as Error).message;
  }
  if (i.mode === 'profile' && i.profile.length === 0) return 'profile mode without profile steps';
  if (!Number.isFinite(i.profileStartAt)) return 'the profile has no start time';
  const from = i.profileStartStep ?? 0;
  if (!Number.isInteger(from) || from < 0 || (i.profile.length > 0 && from >= i.profile.length))
    return `the profile starts at step ${from} of ${i.profile.length}`;
  const p = i.progress;
  if (p !== null) {
    const steps = i.profile.length;
    if (!Number.isInteger(p.stepIndex) || p.stepIndex < 0 || p.stepIndex > steps)
      return `profile step ${p.stepIndex} of ${steps}`;
    if (!Number.isFinite(p.stepStartAt) || !Number.isFinite(p.fromC) || !Array.isArray(p.gravity))
      return 'the profile progress is damaged';
    const times = [p.pausedMs ?? 0, p.addedMs ?? 0, p.rampFromMs ?? 0, p.heldAt ?? 0];
    if (!times.every((t) => Number.isFinite(t) && t >= 0)) return 'the profile progress is damaged';
  }
  return null;
}
