// A rollup bucket's aggregates: for each history field, count, sum, min and max (mean = sum / count, exact
// after any merge). Stored as one little-endian float64 BLOB per bucket, in HISTORY_FIELDS order: a query
// then moves one value per bucket out of SQLite instead of 36, which is what makes long ranges fast.
import { HISTORY_FIELDS } from './reading.js';

export const FIELD_COUNT = HISTORY_FIELDS.length;
const SLOTS = 4; // n, sum, min, max
export const AGGREGATE_BYTES = FIELD_COUNT * SLOTS * 8;

export type Aggregate = Float64Array;

export function emptyAggregate(): Aggregate {
  const acc = new Float64Array(FIELD_COUNT * SLOTS);
  for (let i = 0; i < FIELD_COUNT; i++) {
    acc[i * SLOTS + 2] = Number.POSITIVE_INFINITY;
    acc[i * SLOTS + 3] = Number.NEGATIVE_INFINITY;
  }
  return acc;
}

/** Adds one reading's values (HISTORY_FIELDS order; null = the state had none). */
export function addValues(acc: Aggregate, values: ReadonlyArray<number | null>): void {
  for (let i = 0; i < FIELD_COUNT; i++) addValue(acc, i, values[i] ?? null);
}

/** Adds one value of field number `field`; null counts for nothing. */
export function addValue(acc: Aggregate, field: number, v: number | null): void {
  if (v === null) return;
  const o = field * SLOTS;
  acc[o] = (acc[o] as number) + 1;
  acc[o + 1] = (acc[o + 1] as number) + v;
  if (v < (acc[o + 2] as number)) acc[o + 2] = v;
  if (v > (acc[o + 3] as number)) acc[o + 3] = v;
}

/** Adds a stored bucket (a BLOB as SQLite returns it) into `acc`. */
export function addBlob(acc: Aggregate, blob: Buffer): void {
  for (let i = 0; i < FIELD_COUNT; i++) addBlobField(acc, blob, i);
}

/** Adds one field of a stored bucket into `acc`: queries merge only the fields asked for. */
export function addBlobField(acc: Aggregate, blob: Buffer, field: number): void {
  const o = field * SLOTS;
  const n = blob.readDoubleLE(o * 8);
  if (n === 0) return;
  acc[o] = (acc[o] as number) + n;
  acc[o + 1] = (acc[o + 1] as number) + blob.readDoubleLE((o + 1) * 8);
  const min = blob.readDoubleLE((o + 2) * 8);
  const max = blob.readDoubleLE((o + 3) * 8);
  if (min < (acc[o + 2] as number)) acc[o + 2] = min;
  if (max > (acc[o + 3] as number)) acc[o + 3] = max;
}

export function toBlob(acc: Aggregate): Buffer {
  const buf = Buffer.allocUnsafe(AGGREGATE_BYTES);
  for (let i = 0; i < acc.length; i++) buf.writeDoubleLE(acc[i] as number, i * 8);
  return buf;
}

export interface FieldStats {
  n: number;
  sum: number;
  /** null when n = 0 */
  min: number | null;
  max: number | null;
}

export function fieldStats(acc: Aggregate, field: number): FieldStats {
  const o = field * SLOTS;
  const n = acc[o] as number;
  return {
    n,
    sum: acc[o + 1] as number,
    min: n === 0 ? null : (acc[o + 2] as number),
    max: n === 0 ? null : (acc[o + 3] as number),
  };
}
