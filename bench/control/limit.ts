// The physical limit on arrival: how soon the simulated beer can come within the band of each new target
// when the output runs flat out from the moment the target changes. It is measured on the same simulator
// from every state a run was in when the target jumped, and from an ideal hold (the beer exactly on its old
// target); the smallest is the limit, so no controller in the run can arrive sooner.
import { ProfileRunner } from '../../firmware-bridge/control/profile-runner.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { Physics } from '../../firmware-bridge/sim/physics.js';
import { ARRIVAL_BAND_C, isTargetJump } from './metrics.js';
import type { Scenario } from './scenarios.js';

/** Beyond this a flat-out run gives up: the target is out of the fridge's reach. */
const GIVE_UP_S = 3 * 86_400;

/**
 * Seconds the beer takes to come within the band of `targetC` with the output that moves it that way on
 * and the other off, integrated in 1 s steps as the simulated board does. `physics` is played forward.
 */
export function flatOutS(
  physics: Physics,
  fromMs: number,
  targetC: number,
  ambient: (tMs: number) => number,
): number {
  const cool = physics.beerC > targetC;
  for (let s = 0; s < GIVE_UP_S; s++) {
    if (Math.abs(physics.beerC - targetC) <= ARRIVAL_BAND_C) return s;
    const t = fromMs + s * 1000;
    physics.step(t, 1, ambient(t), !cool, cool);
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The limit at each jump: the soonest of the flat-out time from an ideal hold and from the state every run
 * of the scenario was in at that jump.
 */
export function jumpLimitS(
  idealS: readonly number[],
  runsFlatOutS: ReadonlyArray<readonly number[]>,
): number[] {
  const limitS = [...idealS];
  for (const flatOut of runsFlatOutS) {
    flatOut.forEach((s, i) => {
      limitS[i] = Math.min(limitS[i] ?? Number.POSITIVE_INFINITY, s);
    });
  }
  return limitS;
}

/** The worst ratio of a controller's arrival times to the limit's; null when the scenario has no jump. */
export function arrivalRatio(arrivalS: readonly number[], limitS: readonly number[]): number | null {
  if (limitS.length === 0) return null;
  return Math.max(...limitS.map((l, i) => (arrivalS[i] ?? Number.POSITIVE_INFINITY) / l));
}

/** Stop-short distances the trade-off curve is shown at, °C. */
export const COAST_CURVE_C = [0, 0.5, 1, 1.5, 2, 2.5] as const;

export interface JumpLimits {
  /** Flat out to the band from an ideal hold, per jump, s. */
  arrivalS: number[];
  /** The soonest arrival with overshoot within OVERSHOOT_TARGET_C, coasting, per jump. */
  coast: Array<CoastOutcome & { stopBeforeC: number }>;
  /** Arrival and overshoot when stopping COAST_CURVE_C short of the target, per jump. */
  curve: CoastOutcome[][];
}

/**
 * Limits at each jump from an ideal hold: between jumps an on/off acts each second on the true beer
 * temperature with no timing limits, so every jump starts from a beer on its old target.
 */
export function idealHoldLimits(scenario: Scenario, seed = 1): JumpLimits {
  const config = checkFermenterConfig({
    id: 'bench-limit',
    name: scenario.name,
    board: { type: 'sim', seed, ...scenario.board },
    control: { mode: 'profile', profile: scenario.profile },
  });
  if (config.board.type !== 'sim') throw new TypeError('the arrival limit needs a sim board');
  const physics = new Physics(config.board, 0);
  const profile = new ProfileRunner(config.control.profile, 0, config.board.startBeerC);
  const tickMs = config.control.tickMs;
  const out: JumpLimits = { arrivalS: [], coast: [], curve: [] };
  const amb = scenario.ambient;
  let lastTarget = Number.NaN;
  for (let t = 0; t < scenario.days * 86_400_000; t += tickMs) {
    const target = profile.at(t).beerC;
    if (isTargetJump(lastTarget, target)) {
      out.arrivalS.push(flatOutS(physics.clone(), t, target, amb));
      out.coast.push(coastLimit(physics, t, target, amb));
      out.curve.push(COAST_CURVE_C.map((d) => coast(physics.clone(), t, target, d, amb)));
    }
    lastTarget = target;
    const err = physics.beerC - target;
    for (let s = t; s < t + tickMs; s += 1000) {
      physics.step(s, Math.min(1000, t + tickMs - s) / 1000, amb(s), err < 0, err > 0);
    }
  }
  return out;
}

/** The overshoot target: how far past its new target the beer may go after a jump. */
export const OVERSHOOT_TARGET_C = 0.1;
/** A coast is over once the beer has moved back from its extreme this far (or after COAST_MAX_S). */
const COAST_TURN_C = 0.05;
const COAST_MAX_S = 86_400;

export interface CoastOutcome {
  /** Seconds from the jump until the beer is within the band (+∞: never). */
  arrivalS: number;
  /** How far the beer goes past the target, °C (0 if it never does). */
  overshootC: number;
}

/**
 * Flat out until the beer is `stopBeforeC` short of the target, then both outputs off while the beer coasts
 * on the cold (or heat) stored in the air, liner and coil. `physics` is played forward.
 */
export function coast(
  physics: Physics,
  fromMs: number,
  targetC: number,
  stopBeforeC: number,
  ambient: (tMs: number) => number,
): CoastOutcome {
  const dir = Math.sign(targetC - physics.beerC);
  let arrivalS = Number.POSITIVE_INFINITY;
  let s = 0;
  const at = () => {
    if (arrivalS === Number.POSITIVE_INFINITY && Math.abs(physics.beerC - targetC) <= ARRIVAL_BAND_C)
      arrivalS = s;
  };
  for (; s < GIVE_UP_S && dir * (targetC - physics.beerC) > stopBeforeC; s++) {
    at();
    const t = fromMs + s * 1000;
    physics.step(t, 1, ambient(t), dir > 0, dir < 0);
  }
  let extreme = dir * (physics.beerC - targetC);
  for (const end = s + COAST_MAX_S; s < end; s++) {
    at();
    const past = dir * (physics.beerC - targetC);
    extreme = Math.max(extreme, past);
    if (past < extreme - COAST_TURN_C) break;
    const t = fromMs + s * 1000;
    physics.step(t, 1, ambient(t), false, false);
  }
  return { arrivalS, overshootC: Math.max(0, extreme) };
}

/**
 * The soonest arrival without overshooting by more than OVERSHOOT_TARGET_C when the only brake is to stop
 * early and coast (braking with the other output would waste energy and is held off by the interlock):
 * the smallest stop-short distance that keeps the overshoot within target, found by bisection (the
 * overshoot falls as the stop comes earlier).
 */
export function coastLimit(
  physics: Physics,
  fromMs: number,
  targetC: number,
  ambient: (tMs: number) => number,
): CoastOutcome & { stopBeforeC: number } {
  let lo = 0;
  let hi = Math.abs(targetC - physics.beerC);
  let best = { ...coast(physics.clone(), fromMs, targetC, hi, ambient), stopBeforeC: hi };
  const first = coast(physics.clone(), fromMs, targetC, 0, ambient);
  if (first.overshootC <= OVERSHOOT_TARGET_C) return { ...first, stopBeforeC: 0 };
  for (let i = 0; i < 12; i++) {
    const mid = (lo + hi) / 2;
    const out = coast(physics.clone(), fromMs, targetC, mid, ambient);
    if (out.overshootC <= OVERSHOOT_TARGET_C) {
      hi = mid;
      best = { ...out, stopBeforeC: mid };
    } else lo = mid;
  }
  return best;
}
