// The control benchmark's scenarios: the same simulator, the same safety limits, for every controller.
import type { ControlConfig, SimBoardConfig } from '../../firmware-bridge/config-schema.js';
import { KOLSCH_FIT } from './fermenters.js';
import { type LogRow, readKolschLog, roomAt } from './kolsch.js';

export interface Scenario {
  name: string;
  description: string;
  days: number;
  board: Partial<Omit<SimBoardConfig, 'thermal'>> & { thermal?: Partial<SimBoardConfig['thermal']> };
  /** Room temperature over time (ms since the scenario start). */
  ambient: (tMs: number) => number;
  profile: ControlConfig['profile'];
}

const DAY_MS = 86_400_000;
/** A daily swing between lo and hi, coldest at 05:00 and warmest at 17:00. */
const daily = (lo: number, hi: number) => (tMs: number) =>
  (lo + hi) / 2 - ((hi - lo) / 2) * Math.cos(2 * Math.PI * (((tMs / DAY_MS) % 1) - 5 / 24));

type Step = ControlConfig['profile'][number];

/**
 * A logged setpoint as a profile: sampled hourly, equal samples merged into holds and steady moves into
 * ramps (BrewPi logs a ramp as a staircase of 0.01 °C steps).
 */
export function profileFromLog(rows: readonly LogRow[]): Step[] {
  const steps: Step[] = [];
  const endS = rows.at(-1)?.tS ?? 0;
  let i = 0;
  const setAt = (tS: number) => {
    while (i + 1 < rows.length && (rows[i + 1] as LogRow).tS <= tS) i++;
    return Math.round((rows[i] as LogRow).beerSetC * 100) / 100;
  };
  let from = setAt(0);
  for (let h = 1; h * 3600 <= endS; h++) {
    const to = setAt(h * 3600);
    const type = to === from ? 'hold' : 'ramp';
    const last = steps.at(-1);
    const slope = (s: Step, start: number) => (s.targetC - start) / s.durationH;
    const lastFrom = last ? (steps.at(-2)?.targetC ?? setAt(0)) : from;
    if (last && last.type === type && Math.abs(slope(last, lastFrom) - (to - from)) < 0.02) {
      last.targetC = to;
      last.durationH += 1;
    } else {
      steps.push({ type, targetC: to, durationH: 1 });
    }
    from = to;
  }
  return steps;
}

const kolschLog = readKolschLog();

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
  {
    name: 'kolsch',
    description:
      'The real Kölsch log replayed: its setpoints and room, on the fridge fitted to that BrewPi fridge',
    days: (kolschLog.at(-1)?.tS ?? 0) / 86_400,
    board: { ...KOLSCH_FIT, startBeerC: kolschLog[0]?.beerC ?? 18.5 },
    ambient: (tMs) => roomAt(kolschLog, tMs / 1000),
    profile: profileFromLog(kolschLog),
  },
];
