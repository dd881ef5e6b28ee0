// npm run bench:tradeoffs [-- --json] [-- --seed N] [-- --curve NAME ...] [-- --no-sweep]
// The trade-off curves of cobrew's settings, measured in one run: BrewPi-style and the thermostat run once
// per scenario and sweep fermenter (they do not change with cobrew's settings), cobrew once per point
// (the default shared by every curve), each point's figures taken exactly as bench:control takes them
// (the limit at each jump from an ideal hold and every controller's state, cobrew's own included).
import { parseArgs } from 'node:util';
import { SWEEP } from './control/fermenters.js';
import { orExit2 } from './control/flags.js';
import { SCENARIOS } from './control/scenarios.js';
import { sweepScenario } from './control/sweep.js';
import { measureBaselines, runPoint } from './control/tradeoff-runs.js';
import {
  DEFAULT_POINT,
  type PointResult,
  paretoFront,
  TARGET_KEYS,
  TARGETS,
  type TargetKey,
  targetSummary,
  tradeoffFlags,
} from './control/tradeoffs.js';

const { values } = orExit2(() =>
  parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
      curve: { type: 'string', multiple: true },
      'no-sweep': { type: 'boolean', default: false },
    },
  }),
);
const flags = orExit2(() => tradeoffFlags(values));
const { seed } = flags;
const log = (m: string) => console.error(m);
const wall0 = performance.now();
const baselines = measureBaselines(SCENARIOS, flags.sweep ? SWEEP.map(sweepScenario) : [], seed, log);
const reference = baselines.reference;
const sweep = baselines.sweep;

// Each point once, in the order the curves name them.
const ids = [
  ...new Map(
    flags.curves.flatMap((c) =>
      c.points.map((p) => [p.id, p.id === DEFAULT_POINT.id ? DEFAULT_POINT : p] as const),
    ),
  ).values(),
];
const results = new Map<string, PointResult>();
ids.forEach((p, i) => {
  const t0 = performance.now();
  results.set(
    p.id,
    runPoint(p, baselines, (m) => log(`[${i + 1}/${ids.length}] ${m}`)),
  );
  log(`point ${i + 1}/${ids.length} ${p.id}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
});
const curves = flags.curves.map((c) => {
  const points = c.points.map((p) => ({ ...(results.get(p.id) as PointResult), label: p.label }));
  const front = new Set(paretoFront(points, c.trades));
  return {
    name: c.name,
    what: c.what,
    trades: c.trades,
    points: c.points.map((p) => ({ id: p.id, label: p.label, pareto: front.has(p.id) })),
  };
});
const points = [...results.values()];
const summary = targetSummary(points);
const wallS = (performance.now() - wall0) / 1000;
log(`total: ${wallS.toFixed(0)} s`);

if (flags.json) {
  console.log(
    JSON.stringify(
      {
        seed,
        scenarios: reference.map((b) => b.scenario.name),
        sweep: flags.sweep ? { fermenters: sweep.length } : null,
        targets: TARGETS,
        points,
        curves,
        summary,
        wallS,
      },
      // A beer that never arrives has an infinite arrival ratio: written as "Infinity", not JSON's null.
      (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    ),
  );
} else {
  const names = reference.map((b) => b.scenario.name);
  const fmt = (v: number | null, d = 3) => (v === null ? '—' : Number.isFinite(v) ? v.toFixed(d) : '∞');
  const across = (p: PointResult, k: TargetKey) =>
    [
      ...names.map((n) => fmt(p.scenarios[n]?.[k] ?? null)),
      ...(p.sweep ? [fmt(p.sweep.worst[k].value)] : []),
    ].join(' / ');
  const heads: Record<TargetKey, string> = {
    arrivalRatio: 'arrival × limit',
    overshootC: 'overshoot °C',
    settledRmsRatio: 'settled RMS × BrewPi',
    energyRatio: 'energy × BrewPi',
    startsRatio: 'comp. starts × BrewPi',
  };
  const md = (rows: string[][]) => {
    const [head, ...body] = rows;
    console.log(`| ${head?.join(' | ')} |`);
    console.log(`|${head?.map(() => ' --- ').join('|')}|`);
    for (const r of body) console.log(`| ${r.join(' | ')} |`);
  };
  console.log(
    `seed ${seed}; each cell: ${names.join(' / ')}${flags.sweep ? ` / sweep worst (${sweep.length})` : ''}; ` +
      `* on the curve's Pareto front over the figures it trades`,
  );
  for (const c of curves) {
    console.log(`\n${c.name}: ${c.what}; trades ${c.trades.map((k) => heads[k]).join(', ')}`);
    const rows = [['point', ...TARGET_KEYS.map((k) => heads[k]), 'comp. starts', 'kWh']];
    for (const cp of c.points) {
      const p = results.get(cp.id) as PointResult;
      const raw = (k: 'compressorStarts' | 'kWh', d: number) =>
        [
          ...names.map((n) => fmt(p.scenarios[n]?.[k] ?? null, d)),
          ...(p.sweep ? [`Σ ${fmt(p.sweep[k], d)}`] : []),
        ].join(' / ');
      rows.push([
        `${cp.pareto ? '* ' : ''}${cp.label}`,
        ...TARGET_KEYS.map((k) => across(p, k)),
        raw('compressorStarts', 0),
        raw('kWh', 2),
      ]);
    }
    md(rows);
    if (flags.sweep) {
      for (const cp of c.points) {
        const w = (results.get(cp.id) as PointResult).sweep?.worst;
        if (w)
          console.log(
            `- ${cp.label}, sweep worst: ${TARGET_KEYS.map((k) => `${heads[k]} ${w[k].fermenter}`).join(', ')}`,
          );
      }
    }
  }
  console.log('\ntargets, on every reference scenario and the sweep worst, by any point of any curve:');
  for (const k of TARGET_KEYS) {
    const met = summary.met[k];
    console.log(
      `- ${heads[k]} ≤ ${TARGETS[k]}: ${met.length > 0 ? `met by ${met.join(', ')}` : 'met by none'}`,
    );
  }
  console.log(`- all five at one point: ${summary.allFive.length > 0 ? summary.allFive.join(', ') : 'none'}`);
  console.log(`\nwall time ${(wallS / 60).toFixed(1)} min`);
}
