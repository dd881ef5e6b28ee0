// A temperature profile as a pure function of elapsed time: hold steps keep a target, ramp steps move
// linearly from the previous target. The slope goes to the controller as feed-forward.
import type { ControlConfig } from '../config-schema.js';

export type ProfileStep = ControlConfig['profile'][number];

export interface ProfilePoint {
  beerC: number;
  slopeCPerS: number;
  stepIndex: number;
  /** Seconds left in the current step. */
  stepRemainingS: number;
  done: boolean;
}

/**
 * Where the profile stands `elapsedS` after its start. A ramp begins from the previous step's target
 * (or `startC`, the beer temperature when the profile began). After the last step the final target holds.
 */
export function profileAt(steps: readonly ProfileStep[], elapsedS: number, startC: number): ProfilePoint {
  let from = startC;
  let t = Math.max(0, elapsedS);
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as ProfileStep;
    const durS = step.durationH * 3600;
    if (t < durS) {
      if (step.type === 'hold') {
        return { beerC: step.targetC, slopeCPerS: 0, stepIndex: i, stepRemainingS: durS - t, done: false };
      }
      const slope = (step.targetC - from) / durS;
      return {
        beerC: from + slope * t,
        slopeCPerS: slope,
        stepIndex: i,
        stepRemainingS: durS - t,
        done: false,
      };
    }
    t -= durS;
    from = step.targetC;
  }
  return { beerC: from, slopeCPerS: 0, stepIndex: steps.length, stepRemainingS: 0, done: true };
}
