// The chart's columns: history from the server, then live states appended as they arrive. Columnar arrays,
// as uPlot draws them; temperatures converted to the reader's unit once, here.
import type { FermenterState, History } from './api.js';
import { fromCelsius, type Unit } from './units.js';

export const CHART_FIELDS = [
  'beerC',
  'chamberC',
  'ambientC',
  'beerSetpointC',
  'chamberSetpointC',
  'gravity',
  // Outputs: 1 while on; a history bucket's mean is the share of its time the output was on.
  'heat',
  'cool',
] as const;
export type ChartField = (typeof CHART_FIELDS)[number];

export interface Columns {
  t: number[];
  values: Record<ChartField, (number | null)[]>;
}

const isTemperature = (field: ChartField) => field !== 'gravity' && field !== 'heat' && field !== 'cool';

function convert(field: ChartField, v: number | null | undefined, unit: Unit): number | null {
  if (v === null || v === undefined) return null;
  return isTemperature(field) ? fromCelsius(v, unit) : v;
}

export function emptyColumns(): Columns {
  return {
    t: [],
    values: Object.fromEntries(CHART_FIELDS.map((f) => [f, []])) as unknown as Columns['values'],
  };
}

/** The mean of each bucket (raw readings have min = mean = max). */
export function fromHistory(h: History, unit: Unit): Columns {
  const cols = emptyColumns();
  cols.t = [...h.t];
  for (const field of CHART_FIELDS) {
    const mean = h.series[field]?.mean;
    cols.values[field] = h.t.map((_, i) => convert(field, mean?.[i], unit));
  }
  return cols;
}

/**
 * Adds a live state after the last point (older or repeated states are ignored), and drops what falls out
 * of a window of spanMs ending at the new point, when the reader looks at a moving window.
 */
export function appendState(cols: Columns, s: FermenterState, unit: Unit, spanMs: number | null): boolean {
  const last = cols.t[cols.t.length - 1];
  if (last !== undefined && s.at <= last) return false;
  cols.t.push(s.at);
  for (const field of CHART_FIELDS) {
    const v = field === 'heat' || field === 'cool' ? Number(s.outputs[field]) : s[field];
    cols.values[field].push(convert(field, v, unit));
  }
  if (spanMs !== null) {
    let drop = 0;
    while (drop < cols.t.length && (cols.t[drop] as number) < s.at - spanMs) drop++;
    if (drop > 0) {
      cols.t.splice(0, drop);
      for (const field of CHART_FIELDS) cols.values[field].splice(0, drop);
    }
  }
  return true;
}

export function hasGravity(cols: Columns): boolean {
  return cols.values.gravity.some((v) => v !== null);
}
