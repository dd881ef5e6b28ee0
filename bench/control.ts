// npm run bench:control [-- --json] [-- --scenario NAME] [-- --seed N] [-- --sweep]
//                       [-- --chamber-min C] [-- --arrival-slack S] [-- --cool-pulse S] [-- --heat-pulse S]
//                       [-- --fast-arrival] [-- --slow-fridge-pulses] [-- --no-short-heat-pulses]
//                       [-- --no-warm-room-hand-back] [-- --no-ramp-preview]
//                       [-- --no-slow-fridge-gain]
// Runs every scenario for cobrew's controller, a faithful BrewPi-legacy-style cascade and a plain
// thermostat on the same simulator and the same safety guard, then prints figures and ratios, and the
// physical limit on arrival measured on the same simulator with the output flat out; then the sweep of
// simulated fermenters (skipped when scenarios are named, unless --sweep is given).
import { parseArgs } from 'node:util';
import { SWEEP } from './control/fermenters.js';
import { type NumericFlag, numberFlag, orExit2 } from './control/flags.js';
import {
  arrivalRatio,
  COAST_CURVE_C,
  idealHoldLimits,
  jumpLimitS,
  OVERSHOOT_TARGET_C,
} from './control/limit.js';
import type { ControllerFigures } from './control/metrics.js';
import {
  CONTROLLERS,
  type CobrewVariant,
  type ControllerName,
  runScenario,
  type ScenarioRun,
} from './control/run.js';
import { SCENARIOS } from './control/scenarios.js';
import { runSweep, type SweepRatios } from './control/sweep.js';

const { values } = orExit2(() =>
  parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
      seed: { type: 'string', default: '1' },
      sweep: { type: 'boolean', default: false },
      // cobrew's own settings, for the trade-off curves (the baselines and the limit do not change).
      'chamber-min': { type: 'string' },
      'arrival-slack': { type: 'string' },
      'cool-pulse': { type: 'string' },
      'heat-pulse': { type: 'string' },
      'fast-arrival': { type: 'boolean', default: false },
      'slow-fridge-pulses': { type: 'boolean', default: false },
      'no-short-heat-pulses': { type: 'boolean', default: false },
      'no-warm-room-hand-back': { type: 'boolean', default: false },
      'no-ramp-preview': { type: 'boolean', default: false },
      'no-slow-fridge-gain': { type: 'boolean', default: false },
    },
  }),
);
const num = (flag: NumericFlag) => {
  const raw = values[flag];
  return raw === undefined ? undefined : numberFlag(flag, raw);
};
const { variant, seed } = orExit2(() => {
  const chamberMinC = num('chamber-min');
  const arrivalSlack = num('arrival-slack');
  const coolPulseS = num('cool-pulse');
  const heatPulseS = num('heat-pulse');
  const variant: CobrewVariant = {
    ...(chamberMinC === undefined ? {} : { chamberMinC }),
    planner: {
      ...(arrivalSlack === undefined ? {} : { arrivalSlack }),
      ...(values['fast-arrival'] ? { fastArrival: true } : {}),
      ...(values['slow-fridge-pulses'] ? { slowFridgePulses: true } : {}),
      ...(values['no-short-heat-pulses'] ? { shortHeatPulses: false } : {}),
      ...(values['no-warm-room-hand-back'] ? { warmRoomHandBack: false } : {}),
      ...(values['no-ramp-preview'] ? { rampPreview: false } : {}),
      ...(values['no-slow-fridge-gain'] ? { slowFridgeGain: false } : {}),
    },
    pulses: {
      ...(coolPulseS === undefined ? {} : { coolPulseS }),
      ...(heatPulseS === undefined ? {} : { heatPulseS }),
    },
  };
  return { variant, seed: numberFlag('seed', values.seed) };
});
const wanted = values.scenario ?? SCENARIOS.map((s) => s.name);
const unknown = wanted.filter((n) => !SCENARIOS.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(
    `Unknown scenario ${unknown.join(', ')}: use one of ${SCENARIOS.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}

type Figures = ControllerFigures & { arrivalRatio: number | null };

const results: Array<{
  name: string;
  description: string;
  limit: {
    arrivalS: number[];
    noOvershootArrivalS: number[];
    noOvershootStopBeforeC: number[];
    coastCurve: Array<Array<{ stopBeforeC: number | undefined; arrivalS: number; overshootC: number }>>;
  };
  controllers: Record<ControllerName, Figures>;
}> = [];
for (const scenario of SCENARIOS.filter((s) => wanted.includes(s.name))) {
  const ideal = idealHoldLimits(scenario, seed);
  const runs = {} as Record<ControllerName, ScenarioRun>;
  for (const c of CONTROLLERS) {
    const t0 = performance.now();
    runs[c] = runScenario(scenario, c, seed, variant);
    console.error(`${scenario.name} / ${c}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const limitS = jumpLimitS(
    ideal.arrivalS,
    CONTROLLERS.map((c) => runs[c].flatOutS),
  );
  const limit = {
    arrivalS: limitS,
    // Arriving without overshoot (≤ 0.1 °C) by stopping early and coasting, from an ideal hold.
    noOvershootArrivalS: ideal.coast.map((c) => c.arrivalS),
    noOvershootStopBeforeC: ideal.coast.map((c) => c.stopBeforeC),
    coastCurve: ideal.curve.map((points) =>
      points.map((p, i) => ({
        stopBeforeC: COAST_CURVE_C[i],
        arrivalS: p.arrivalS,
        overshootC: p.overshootC,
      })),
    ),
  };
  const controllers = {} as Record<ControllerName, Figures>;
  for (const c of CONTROLLERS) {
    const { figures } = runs[c];
    controllers[c] = { ...figures, arrivalRatio: arrivalRatio(figures.arrivalS, limitS) };
  }
  results.push({ name: scenario.name, description: scenario.description, limit, controllers });
}

const sweep =
  values.sweep || values.scenario === undefined
    ? runSweep(SWEEP, seed, (m) => console.error(m), variant)
    : null;

if (values.json) {
  const ratios = (r: SweepRatios) => ({
    arrivalRatio: r.arrivalRatio,
    overshootC: r.overshootC,
    settledRmsRatio: r.settledRmsRatio,
    energyRatio: r.energyRatio,
    startsRatio: r.startsRatio,
  });
  const sweepJson = sweep && {
    fermenters: sweep.fermenters,
    worst: ratios(sweep.worst),
    each: sweep.each.map((e) => ({
      name: e.name,
      limit: { arrivalS: e.limitS },
      noOvershootArrivalRatio: e.noOvershootArrivalRatio,
      ...ratios(e),
    })),
  };
  console.log(JSON.stringify({ seed, scenarios: results, sweep: sweepJson }));
} else {
  type Numeric = { [K in keyof Figures]: Figures[K] extends number ? K : never }[keyof Figures];
  const cols: Array<[Numeric, string, number]> = [
    ['rmsC', 'RMS °C', 3],
    ['settledRmsC', 'settled RMS', 3],
    ['maxDevC', 'max dev °C', 2],
    ['overshootC', 'overshoot °C', 2],
    ['compressorStarts', 'comp. starts', 0],
    ['heaterStarts', 'heat starts', 0],
    ['violationS', 'violation s', 0],
    ['guardOverrideS', 'guard override s', 0],
    ['kWh', 'kWh', 2],
  ];
  const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? '1.00' : '∞') : (a / b).toFixed(2));
  const minutes = (s: number) => (Number.isFinite(s) ? `${(s / 60).toFixed(0)} min` : 'never');
  const table = (rows: string[][]) => {
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
    for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
  };
  for (const r of results) {
    console.log(`\n${r.name}: ${r.description}`);
    const rows = [['', ...cols.map((c) => c[1])]];
    for (const c of CONTROLLERS) rows.push([c, ...cols.map(([k, , d]) => r.controllers[c][k].toFixed(d))]);
    for (const base of ['brewpi', 'thermostat'] as const) {
      rows.push([
        `cobrew/${base}`,
        ...cols.map(([k]) => ratio(r.controllers.cobrew[k], r.controllers[base][k])),
      ]);
    }
    table(rows);
    if (r.limit.arrivalS.length === 0) continue;
    // Arrival: time to come within 0.5 °C of each new target, and its ratio to the flat-out limit.
    const arrivals = [['arrival', ...r.limit.arrivalS.map((_, i) => `jump ${i + 1}`), 'worst / limit']];
    arrivals.push(['limit (flat out)', ...r.limit.arrivalS.map(minutes), '1.00']);
    for (const c of CONTROLLERS) {
      const f = r.controllers[c];
      arrivals.push([
        c,
        ...r.limit.arrivalS.map((l, i) => {
          const a = f.arrivalS[i] ?? Number.POSITIVE_INFINITY;
          return `${minutes(a)} (${(a / l).toFixed(2)}×)`;
        }),
        f.arrivalRatio === null ? '—' : f.arrivalRatio.toFixed(2),
      ]);
    }
    table(arrivals);
    // What coasting alone can do: stop short of the target and let the stored cold carry the beer on.
    r.limit.coastCurve.forEach((points, j) => {
      const l = r.limit.arrivalS[j] ?? Number.NaN;
      console.log(
        `jump ${j + 1}, flat out then coast (from an ideal hold): ` +
          points
            .map(
              (p) =>
                `stop ${p.stopBeforeC} °C short → ${(p.arrivalS / l).toFixed(2)}×, overshoot ${p.overshootC.toFixed(2)} °C`,
            )
            .join('; ') +
          `; overshoot ≤ ${OVERSHOOT_TARGET_C} °C at best ${((r.limit.noOvershootArrivalS[j] ?? Number.NaN) / l).toFixed(2)}× (stop ${(r.limit.noOvershootStopBeforeC[j] ?? Number.NaN).toFixed(2)} °C short)`,
      );
    });
  }
  if (sweep) {
    console.log(
      `\nsweep: ${sweep.fermenters} fermenters, 18 → 14 → 18 °C through a fermentation peak, the same settings for all`,
    );
    const rows = [
      [
        'fermenter',
        'limit',
        'arrival/limit',
        'overshoot °C',
        'settled RMS/brewpi',
        'kWh/brewpi',
        'comp. starts/brewpi',
        'coast limit',
      ],
    ];
    const line = (name: string, limit: string, r: SweepRatios, coastRatio: string) => [
      name,
      limit,
      r.arrivalRatio.toFixed(2),
      r.overshootC.toFixed(2),
      r.settledRmsRatio.toFixed(2),
      r.energyRatio.toFixed(2),
      r.startsRatio.toFixed(2),
      coastRatio,
    ];
    for (const e of sweep.each) {
      rows.push(line(e.name, e.limitS.map(minutes).join(', '), e, e.noOvershootArrivalRatio.toFixed(2)));
    }
    rows.push(
      line(
        'worst',
        '',
        sweep.worst,
        Math.max(...sweep.each.map((e) => e.noOvershootArrivalRatio)).toFixed(2),
      ),
    );
    table(rows);
  }
}
