// npm run bench:control [-- --json] [-- --scenario NAME] [-- --seed N]
// Runs every scenario for cobrew's controller, a faithful BrewPi-legacy-style cascade and a plain
// thermostat on the same simulator and the same safety guard, then prints figures and ratios.
import { parseArgs } from 'node:util';
import type { ControllerFigures } from './control/metrics.js';
import { CONTROLLERS, type ControllerName, runScenario } from './control/run.js';
import { SCENARIOS } from './control/scenarios.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
    seed: { type: 'string', default: '1' },
  },
});
const seed = Number(values.seed);
const wanted = values.scenario ?? SCENARIOS.map((s) => s.name);
const unknown = wanted.filter((n) => !SCENARIOS.some((s) => s.name === n));
if (unknown.length > 0) {
  console.error(
    `Unknown scenario ${unknown.join(', ')}: use one of ${SCENARIOS.map((s) => s.name).join(', ')}`,
  );
  process.exit(2);
}

const results: Array<{
  name: string;
  description: string;
  controllers: Record<ControllerName, ControllerFigures>;
}> = [];
for (const scenario of SCENARIOS.filter((s) => wanted.includes(s.name))) {
  const controllers = {} as Record<ControllerName, ControllerFigures>;
  for (const c of CONTROLLERS) {
    const t0 = performance.now();
    controllers[c] = runScenario(scenario, c, seed);
    console.error(`${scenario.name} / ${c}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  results.push({ name: scenario.name, description: scenario.description, controllers });
}

if (values.json) {
  console.log(JSON.stringify({ seed, scenarios: results }));
} else {
  const cols: Array<[keyof ControllerFigures, string, number]> = [
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
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
    for (const row of rows) console.log(row.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  '));
  }
}
