// The runs behind the trade-off curves: BrewPi-style and the thermostat once per scenario (they do not
// change with cobrew's settings), cobrew once per point, each point's figures taken as bench:control takes
// them (the limit at each jump from an ideal hold and every controller's state there, cobrew's included).
import { arrivalRatio, idealHoldLimits, type JumpLimits, jumpLimitS } from './limit.js';
import { runScenario, type ScenarioRun } from './run.js';
import type { Scenario } from './scenarios.js';
import { type SweepResult, sweepEntry } from './sweep.js';
import {
  type PointId,
  type PointResult,
  type ScenarioPoint,
  sweepWorstOf,
  targetFigures,
} from './tradeoffs.js';

export interface Baseline {
  scenario: Scenario;
  ideal: JumpLimits;
  brewpi: ScenarioRun;
  /** The sweep compares cobrew with BrewPi-style only, as bench:control's does. */
  thermostat: ScenarioRun | null;
}

export interface Baselines {
  seed: number;
  reference: Baseline[];
  sweep: Baseline[];
}

type Log = (message: string) => void;

function timed<T>(log: Log, what: string, run: () => T): T {
  const t0 = performance.now();
  const out = run();
  log(`${what}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

export function measureBaselines(
  reference: readonly Scenario[],
  sweep: readonly Scenario[],
  seed: number,
  log: Log = () => {},
): Baselines {
  const baseline = (scenario: Scenario, thermostat: boolean): Baseline =>
    timed(log, `baselines ${scenario.name}`, () => ({
      scenario,
      ideal: idealHoldLimits(scenario, seed),
      brewpi: runScenario(scenario, 'brewpi', seed),
      thermostat: thermostat ? runScenario(scenario, 'thermostat', seed) : null,
    }));
  return {
    seed,
    reference: reference.map((s) => baseline(s, true)),
    sweep: sweep.map((s) => baseline(s, false)),
  };
}

/** cobrew's run of one point on every reference scenario and sweep fermenter, against the baselines. */
export function runPoint(p: PointId, b: Baselines, log: Log = () => {}): PointResult {
  const run = (base: Baseline) =>
    timed(log, `${p.id} ${base.scenario.name}`, () =>
      runScenario(base.scenario, 'cobrew', b.seed, p.variant),
    );
  const scenarios: Record<string, ScenarioPoint> = {};
  for (const base of b.reference) {
    const cobrew = run(base);
    const runs = [cobrew, base.brewpi, ...(base.thermostat ? [base.thermostat] : [])];
    const limitS = jumpLimitS(
      base.ideal.arrivalS,
      runs.map((r) => r.flatOutS),
    );
    const f = cobrew.figures;
    scenarios[base.scenario.name] = {
      ...targetFigures(f, base.brewpi.figures, arrivalRatio(f.arrivalS, limitS)),
      compressorStarts: f.compressorStarts,
      kWh: f.kWh,
    };
  }
  const each: SweepResult['each'] = b.sweep.map((base) =>
    sweepEntry(base.scenario.name, base.ideal, run(base), base.brewpi),
  );
  return { ...p, scenarios, sweep: each.length > 0 ? sweepWorstOf(each) : null };
}
