// Test data and checks for the history tests, free of vitest so that child processes can use them too.
import type Database from 'better-sqlite3';
import { addBlob, addValues, emptyAggregate } from '../../history/aggregate.js';
import { bucketStart, ROLLUP_LEVELS } from '../../history/levels.js';
import { HISTORY_FIELDS } from '../../history/reading.js';
import type { StateItem } from '../../history/store.js';

export const T0 = Date.UTC(2026, 0, 1);

/** A state reading at `at` with values that vary with it, so that min, max and mean differ per bucket. */
export function stateItem(fermenterId: string, at: number, patch: Partial<StateItem> = {}): StateItem {
  const s = (at - T0) / 1000;
  return {
    kind: 'state',
    mode: 'beer',
    profileStep: null,
    reading: {
      fermenterId,
      at,
      fields: {
        beerC: 18 + Math.sin(s / 300),
        chamberC: 16 + Math.cos(s / 97),
        ambientC: 20 + (s % 17) / 10,
        beerSetpointC: 18,
        chamberSetpointC: 16 + (s % 5) / 10,
        heat: s % 3 === 0 ? 1 : 0,
        cool: s % 3 === 1 ? 1 : 0,
        ...(s % 60 < 30 ? { gravity: 1.05 - s / 1e7 } : {}),
      },
    },
    ...patch,
  };
}

/**
 * Every rollup bucket recomputed from the raw rows, compared with the stored one: counts, mins and maxes
 * exactly, sums to 1e-9 relative. Returns the mismatches (none when they agree).
 */
export function rollupMismatches(db: Database.Database): string[] {
  const out: string[] = [];
  for (const level of ROLLUP_LEVELS) {
    const expected = new Map<string, Float64Array>();
    const rows = db
      .prepare(`SELECT f, t, ${HISTORY_FIELDS.join(', ')} FROM raw ORDER BY f, t`)
      .raw(true)
      .iterate() as Iterable<Array<number | null>>;
    for (const row of rows) {
      const key = `${row[0]}:${bucketStart(row[1] as number, level.widthMs)}`;
      let acc = expected.get(key);
      if (acc === undefined) {
        acc = emptyAggregate();
        expected.set(key, acc);
      }
      addValues(acc, row.slice(2));
    }
    const stored = db.prepare(`SELECT f, b, agg FROM ${level.table}`).raw(true).all() as Array<
      [number, number, Buffer]
    >;
    if (stored.length !== expected.size)
      out.push(`${level.name}: ${stored.length} buckets, raw gives ${expected.size}`);
    for (const [f, b, blob] of stored) {
      const want = expected.get(`${f}:${b}`);
      if (want === undefined) {
        out.push(`${level.name} ${f}:${b} has no raw rows`);
        continue;
      }
      const got = emptyAggregate();
      addBlob(got, blob);
      for (let i = 0; i < got.length; i++) {
        const a = got[i] as number;
        const e = want[i] as number;
        const ok = i % 4 === 1 ? Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)) : a === e;
        if (!ok) out.push(`${level.name} ${f}:${b} slot ${i}: ${a} ≠ ${e}`);
      }
    }
  }
  return out;
}
