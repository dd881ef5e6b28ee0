// A finished beer (no fermentation heat) in a 20 °C room, held at fromC for holdH hours, then stepped to
// toC: the short scenario the control bench's tests run their controllers through.
import type { Scenario } from '../../../bench/control/scenarios.js';

export function stepScenario(
  name: string,
  days: number,
  holdH: number,
  fromC: number,
  toC: number,
): Scenario {
  return {
    name,
    description: `a finished beer held at ${fromC} °C for ${holdH} h, then a step to ${toC} °C`,
    days,
    board: { startBeerC: fromC, originalGravity: 1.012, finalGravity: 1.012 },
    ambient: () => 20,
    profile: [
      { type: 'hold', targetC: fromC, durationH: holdH },
      { type: 'hold', targetC: toC, durationH: days * 24 - holdH },
    ],
  };
}
