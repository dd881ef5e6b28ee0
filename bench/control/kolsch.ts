// The real BrewPi fridge of the Kölsch log (tests/fixtures/real-logs): its log read into series, an
// open-loop replay of its relays and room through the simulator, and the replay error of the fridge-air
// and beer curves that the reference fridge is fitted on (bench/kolsch-fit.ts).
import { readFileSync } from 'node:fs';
import type { SimBoardConfig } from '../../firmware-bridge/config-schema.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { Physics } from '../../firmware-bridge/sim/physics.js';

export const KOLSCH_LOG = new URL(
  '../../tests/fixtures/real-logs/bdelbosc-brewmon_Kolsch.csv',
  import.meta.url,
);

export interface LogRow {
  /** Seconds since the first row. */
  tS: number;
  beerC: number;
  beerSetC: number;
  fridgeC: number;
  heat: boolean;
  cool: boolean;
  roomC: number;
}

/** BrewPi's states with the compressor relay closed (cooling, cooling min time) and the heater's. */
const COOL_STATES = new Set([4, 8]);
const HEAT_STATES = new Set([3, 9]);
/** A beer reading this far from both neighbours is a probe spike, not the beer. */
const SPIKE_C = 0.3;

const num = (s: string | undefined) =>
  s === undefined || s === 'null' || s === 'None' ? Number.NaN : Number(s);

/**
 * The log's rows while the controller ran (until the beer setpoint first goes empty), with probe spikes and
 * empty readings carried over from the row before.
 */
export function readKolschLog(path: URL = KOLSCH_LOG): LogRow[] {
  const rows: LogRow[] = [];
  let t0 = Number.NaN;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const f = line.split(';');
    if (f.length < 9) continue;
    const at = Date.parse(`${f[0]} UTC`);
    const beerSetC = num(f[2]);
    if (Number.isNaN(at)) continue;
    if (Number.isNaN(beerSetC)) break;
    if (Number.isNaN(t0)) t0 = at;
    const prev = rows.at(-1);
    const state = num(f[7]);
    const keep = (v: number, old: number | undefined) => (Number.isNaN(v) ? (old ?? Number.NaN) : v);
    rows.push({
      tS: (at - t0) / 1000,
      beerC: keep(num(f[1]), prev?.beerC),
      beerSetC,
      fridgeC: keep(num(f[4]), prev?.fridgeC),
      heat: HEAT_STATES.has(state),
      cool: COOL_STATES.has(state),
      roomC: keep(num(f[8]), prev?.roomC),
    });
  }
  for (let i = 1; i + 1 < rows.length; i++) {
    const [a, b, c] = [rows[i - 1] as LogRow, rows[i] as LogRow, rows[i + 1] as LogRow];
    if (Math.abs(b.beerC - a.beerC) > SPIKE_C && Math.abs(b.beerC - c.beerC) > SPIKE_C) b.beerC = a.beerC;
  }
  return rows;
}

/** The room between two log rows, linearly interpolated (held before the first and after the last). */
export function roomAt(rows: readonly LogRow[], tS: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((rows[mid] as LogRow).tS <= tS) lo = mid;
    else hi = mid - 1;
  }
  const a = rows[lo] as LogRow;
  const b = rows[lo + 1];
  if (!b || tS <= a.tS) return a.roomC;
  return a.roomC + ((b.roomC - a.roomC) * (tS - a.tS)) / (b.tS - a.tS);
}

export interface ReplayResult {
  /** RMS of simulated minus logged beer temperature over every row, °C. */
  beerRmsC: number;
  /** The same for the chamber air against the fridge probe, °C. */
  fridgeRmsC: number;
  /** Simulated beer and chamber at each row. */
  beerC: Float64Array;
  fridgeC: Float64Array;
}

/**
 * Plays the logged relays and room through the simulator in 1 s steps, from the logged beer and fridge
 * temperatures, and compares its beer and chamber air with the logged ones at every row.
 */
export function replayLog(rows: readonly LogRow[], board: SimBoardConfig): ReplayResult {
  const first = rows[0];
  if (!first) throw new RangeError('the log has no rows to replay');
  const p = new Physics({ ...board, startBeerC: first.beerC }, 0);
  p.chamberC = first.fridgeC;
  p.wallC = first.fridgeC;
  p.evaporatorC = first.fridgeC;
  p.heaterC = first.fridgeC;
  const beerC = new Float64Array(rows.length);
  const fridgeC = new Float64Array(rows.length);
  let sumBeer = 0;
  let sumFridge = 0;
  let t = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as LogRow;
    // The relays the row before logged held until this row.
    const prev = rows[i - 1] ?? row;
    while (t < row.tS) {
      const dt = Math.min(1, row.tS - t);
      p.step(t * 1000, dt, roomAt(rows, t), prev.heat, prev.cool);
      t += dt;
    }
    beerC[i] = p.beerC;
    fridgeC[i] = p.chamberC;
    sumBeer += (p.beerC - row.beerC) ** 2;
    sumFridge += (p.chamberC - row.fridgeC) ** 2;
  }
  return {
    beerRmsC: Math.sqrt(sumBeer / rows.length),
    fridgeRmsC: Math.sqrt(sumFridge / rows.length),
    beerC,
    fridgeC,
  };
}

/** A sim board as cobrew.yaml would give it, with `overrides` applied. */
export function simBoard(overrides: Record<string, unknown> = {}): SimBoardConfig {
  const board = checkFermenterConfig({
    id: 'kolsch',
    name: 'kolsch',
    board: { type: 'sim', ...overrides },
  }).board;
  if (board.type !== 'sim') throw new TypeError('a sim board was expected');
  return board;
}
