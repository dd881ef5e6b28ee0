// npm run fit:kolsch [-- --json]
// Fits the simulator's fridge and fermentation to the real BrewPi fridge of the Kölsch log: the logged
// relays and room are played through the simulator and its fridge-air and beer curves are matched to the
// logged ones by Levenberg–Marquardt. Prints the replay error before (the default fridge) and after the fit,
// and the fitted board, which bench/control/scenarios.ts carries as the `kolsch` fermenter.

import { parseArgs } from 'node:util';
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { KOLSCH_BEFORE, KOLSCH_FIT } from './control/fermenters.js';
import { type LogRow, readKolschLog, replayLog, simBoard } from './control/kolsch.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });

interface Param {
  name: string;
  /** Where it goes in the board: a thermal field or a board field. */
  at: 'thermal' | 'board';
  start: number;
  min: number;
  max: number;
  /** Fitted on a log scale (positive quantities spanning decades). */
  log: boolean;
}
const PARAMS: Param[] = [
  { name: 'beerUAAt20L', at: 'thermal', start: 2.8, min: 0.5, max: 20, log: true },
  { name: 'chamberJPerK', at: 'thermal', start: 10_000, min: 2_000, max: 200_000, log: true },
  { name: 'wallJPerK', at: 'thermal', start: 25_000, min: 5_000, max: 500_000, log: true },
  { name: 'evaporatorJPerK', at: 'thermal', start: 2_000, min: 500, max: 100_000, log: true },
  { name: 'chamberWallUA', at: 'thermal', start: 10, min: 1, max: 100, log: true },
  { name: 'wallRoomUA', at: 'thermal', start: 1.5, min: 0.2, max: 20, log: true },
  { name: 'evaporatorUA', at: 'thermal', start: 12, min: 1, max: 100, log: true },
  { name: 'compressorDelayS', at: 'thermal', start: 60, min: 0, max: 900, log: false },
  { name: 'coolerW', at: 'board', start: 150, min: 20, max: 600, log: true },
  { name: 'heaterW', at: 'board', start: 100, min: 10, max: 500, log: true },
  {
    name: 'originalGravity',
    at: 'board',
    start: KOLSCH_BEFORE.originalGravity,
    min: 1.02,
    max: 1.08,
    log: false,
  },
  {
    name: 'fermentationDelayH',
    at: 'board',
    start: KOLSCH_BEFORE.fermentationDelayH,
    min: 0,
    max: 96,
    log: false,
  },
];

const fromVector = (v: ArrayLike<number>) => {
  const board: Record<string, number> = {};
  const thermal: Record<string, number> = {};
  PARAMS.forEach((p, i) => {
    const x = v[i] as number;
    (p.at === 'thermal' ? thermal : board)[p.name] = p.log ? Math.exp(x) : x;
  });
  return { ...KOLSCH_BEFORE, ...board, thermal };
};

const rows: LogRow[] = readKolschLog();
const n = rows.length;
// Residuals: the beer rows, then the fridge rows.
const data = {
  x: Array.from({ length: 2 * n }, (_, i) => i),
  y: Array.from({ length: 2 * n }, (_, i) => (i < n ? rows[i]?.beerC : rows[i - n]?.fridgeC) as number),
};
let evaluations = 0;
const model = (v: number[]) => {
  evaluations++;
  const r = replayLog(rows, simBoard(fromVector(v)));
  return (x: number) => (x < n ? (r.beerC[x] as number) : (r.fridgeC[x - n] as number));
};

const before = replayLog(rows, simBoard(KOLSCH_BEFORE));
const t0 = performance.now();
const fit = levenbergMarquardt(data, model, {
  initialValues: PARAMS.map((p) => (p.log ? Math.log(p.start) : p.start)),
  minValues: PARAMS.map((p) => (p.log ? Math.log(p.min) : p.min)),
  maxValues: PARAMS.map((p) => (p.log ? Math.log(p.max) : p.max)),
  gradientDifference: PARAMS.map((p) => (p.log ? 0.05 : (p.max - p.min) / 200)),
  maxIterations: 30,
  damping: 0.5,
});
const fitted = fromVector(fit.parameterValues);
const after = replayLog(rows, simBoard(fitted));
const carried = replayLog(rows, simBoard(KOLSCH_FIT));
const report = {
  rows: n,
  hours: (rows.at(-1)?.tS ?? 0) / 3600,
  evaluations,
  seconds: (performance.now() - t0) / 1000,
  before: { beerRmsC: before.beerRmsC, fridgeRmsC: before.fridgeRmsC },
  after: { beerRmsC: after.beerRmsC, fridgeRmsC: after.fridgeRmsC },
  carried: { beerRmsC: carried.beerRmsC, fridgeRmsC: carried.fridgeRmsC },
  fitted,
};
if (values.json) console.log(JSON.stringify(report));
else {
  const f = (r: { beerRmsC: number; fridgeRmsC: number }) =>
    `beer ${r.beerRmsC.toFixed(3)} °C RMS, fridge air ${r.fridgeRmsC.toFixed(3)} °C RMS`;
  console.log(
    `Kölsch log: ${n} rows over ${report.hours.toFixed(0)} h, ${evaluations} replays, ${report.seconds.toFixed(0)} s`,
  );
  console.log(`replay error, default fridge:        ${f(before)}`);
  console.log(`replay error, fitted now:            ${f(after)}`);
  console.log(`replay error, the bench's kolsch:    ${f(carried)}`);
  console.log(JSON.stringify(fitted, null, 2));
}
