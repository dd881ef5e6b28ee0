// The control benchmark's scenarios: the same simulator, the same safety limits, for every controller.
import type { ControlConfig, SimBoardConfig } from '../../firmware-bridge/config-schema.js';

export interface Scenario {
  name: string;
  description: string;
  days: number;
  board: Partial<SimBoardConfig>;
  /** Room temperature over time (ms since the scenario start). */
  ambient: (tMs: number) => number;
  profile: ControlConfig['profile'];
}

const DAY_MS = 86_400_000;
/** A daily swing between lo and hi, coldest at 05:00 and warmest at 17:00. */
const daily = (lo: number, hi: number) => (tMs: number) =>
  (lo + hi) / 2 - ((hi - lo) / 2) * Math.cos(2 * Math.PI * (((tMs / DAY_MS) % 1) - 5 / 24));

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'ale-14d',
    description: '14-day ale held at 18 °C through the fermentation heat peak, room 12-28 °C daily',
    days: 14,
    board: { startBeerC: 18, originalGravity: 1.055, finalGravity: 1.011 },
    ambient: daily(12, 28),
    profile: [{ type: 'hold', targetC: 18, durationH: 14 * 24 }],
  },
  {
    name: 'lager',
    description: 'Lager at 10 °C, diacetyl rest ramp to 16 °C, crash to 2 °C; room 14-24 °C daily',
    days: 16,
    board: { startBeerC: 10, originalGravity: 1.05, finalGravity: 1.01 },
    ambient: daily(14, 24),
    profile: [
      { type: 'hold', targetC: 10, durationH: 10 * 24 },
      { type: 'ramp', targetC: 16, durationH: 24 },
      { type: 'hold', targetC: 16, durationH: 3 * 24 },
      { type: 'hold', targetC: 2, durationH: 2 * 24 },
    ],
  },
  {
    name: 'step-18-4',
    description: 'Finished beer held at 18 °C, then a step to 4 °C; room 17-23 °C daily',
    days: 4,
    board: { startBeerC: 18, originalGravity: 1.012, finalGravity: 1.012 },
    ambient: daily(17, 23),
    profile: [
      { type: 'hold', targetC: 18, durationH: 24 },
      { type: 'hold', targetC: 4, durationH: 3 * 24 },
    ],
  },
];
