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
 * Flat-out arrival times from an ideal hold: between jumps an on/off acts each second on the true beer
 * temperature with no timing limits, so every jump starts from a beer on its old target.
 */
export function idealHoldArrivalS(scenario: Scenario, seed = 1): number[] {
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
  const arrivals: number[] = [];
  let lastTarget = Number.NaN;
  for (let t = 0; t < scenario.days * 86_400_000; t += tickMs) {
    const target = profile.at(t).beerC;
    if (isTargetJump(lastTarget, target))
      arrivals.push(flatOutS(physics.clone(), t, target, scenario.ambient));
    lastTarget = target;
    const err = physics.beerC - target;
    for (let s = t; s < t + tickMs; s += 1000) {
      physics.step(s, Math.min(1000, t + tickMs - s) / 1000, scenario.ambient(s), err < 0, err > 0);
    }
  }
  return arrivals;
}
