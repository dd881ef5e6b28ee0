// The trade-off runs end to end on one short scenario: a point's figures are those bench:control takes from
// runScenario (the limit from an ideal hold and every controller's state at the jump, cobrew's own included),
// the baselines are not run with cobrew's settings, and a bad flag stops either bench with exit code 2.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { idealHoldLimits } from '../../../bench/control/limit.js';
import { CONTROLLERS, type CobrewVariant, runScenario } from '../../../bench/control/run.js';
import { measureBaselines, runPoint } from '../../../bench/control/tradeoff-runs.js';
import { DEFAULT_POINT } from '../../../bench/control/tradeoffs.js';
import { stepScenario } from './step-scenario.js';

/**
 * One day on the default fridge: 13 h at 18 °C, then a step to 10 °C. At 13 h cobrew's own state is the
 * nearest the flat-out limit (sooner than BrewPi-style's, the thermostat's and an ideal hold's), so it sets
 * the limit, as cobrew's state does at some jumps of bench:control.
 */
const DAY = stepScenario('day', 1, 13, 18, 10);

/** What bench:control reports for cobrew with `variant` on DAY, from runs of its own. */
function controlFigures(variant: CobrewVariant) {
  const runs = CONTROLLERS.map((c) => runScenario(DAY, c, 1, c === 'cobrew' ? variant : {}));
  const [cobrew, brewpi] = runs.map((r) => r.figures);
  if (!cobrew || !brewpi) throw new Error('no run');
  const ideal = idealHoldLimits(DAY, 1).arrivalS;
  const limit = ideal.map((s, i) =>
    Math.min(s, ...runs.map((r) => r.flatOutS[i] ?? Number.POSITIVE_INFINITY)),
  );
  return {
    arrivalRatio: Math.max(...limit.map((l, i) => (cobrew.arrivalS[i] ?? Number.POSITIVE_INFINITY) / l)),
    overshootC: cobrew.overshootC,
    settledRmsRatio: cobrew.settledRmsC / brewpi.settledRmsC,
    energyRatio: cobrew.kWh / brewpi.kWh,
    startsRatio: cobrew.compressorStarts / brewpi.compressorStarts,
    compressorStarts: cobrew.compressorStarts,
    kWh: cobrew.kWh,
  };
}

describe('trade-off runs', () => {
  it('give each point the figures bench:control gives it, against baselines run once', () => {
    const baselines = measureBaselines([DAY], [], 1);
    const cold: CobrewVariant = { chamberMinC: -10 };
    const def = runPoint(DEFAULT_POINT, baselines);
    const floor = runPoint({ id: 'floor', label: '−10 °C', variant: cold }, baselines);
    expect(def.scenarios.day).toEqual(controlFigures({}));
    expect(floor.scenarios.day).toEqual(controlFigures(cold));
    expect(floor.scenarios.day).not.toEqual(def.scenarios.day);
    expect(def.sweep).toBeNull();
  }, 30_000);

  it('stop either bench with exit code 2 on a bad flag, naming it', () => {
    const run = (script: string, ...args: string[]) =>
      spawnSync('npx', ['tsx', script, ...args], { encoding: 'utf8', timeout: 20_000 });
    const curve = run('bench/tradeoffs.ts', '--curve', 'nope');
    expect(curve.status).toBe(2);
    expect(curve.stderr).toMatch(/--curve nope: unknown/);
    const pulse = run('bench/control.ts', '--cool-pulse', '5');
    expect(pulse.status).toBe(2);
    expect(pulse.stderr).toMatch(/--cool-pulse "5": must be a number from 30 to 3600 s/);
  }, 30_000);
});
