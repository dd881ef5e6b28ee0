// The peer: the same question answered by scanning the raw rows, as anyone would write it against a plain
// readings table — one SELECT … WHERE t BETWEEN over the range, bucketed either by SQLite (GROUP BY) or in
// JavaScript. Both are measured; the faster one stands for the peer. No rollups, no tricks withheld.
import type Database from 'better-sqlite3';
import type { HistoryAnswer } from '../../history/reader.js';

export type ScanKind = 'sql' | 'js';

export interface ScanQuery {
  f: number;
  /** Whole buckets: [lo, hi] covers the same buckets as cobrew's answer. */
  lo: number;
  hi: number;
  bucketMs: number;
  fields: readonly string[];
}

export function rawScan(db: Database.Database, kind: ScanKind, q: ScanQuery) {
  return kind === 'sql' ? scanSql(db, q) : scanJs(db, q);
}

type Columns = Pick<HistoryAnswer, 't' | 'series'>;

function empty(fields: readonly string[]): Columns {
  return { t: [], series: Object.fromEntries(fields.map((f) => [f, { min: [], mean: [], max: [] }])) };
}

const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();
function prepare(db: Database.Database, sql: string): Database.Statement {
  let stmts = cache.get(db);
  if (stmts === undefined) {
    stmts = new Map();
    cache.set(db, stmts);
  }
  let stmt = stmts.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    stmts.set(sql, stmt);
  }
  return stmt;
}

function scanSql(db: Database.Database, q: ScanQuery): Columns {
  const w = q.bucketMs;
  const sql = `SELECT (t / ${w}) * ${w} AS b, ${q.fields
    .map((c) => `min(${c}), max(${c}), sum(${c}), count(${c})`)
    .join(', ')} FROM raw WHERE f = ? AND t BETWEEN ? AND ? GROUP BY b ORDER BY b`;
  const out = empty(q.fields);
  for (const row of prepare(db, sql).raw(true).all(q.f, q.lo, q.hi) as unknown[][]) {
    out.t.push(row[0] as number);
    q.fields.forEach((name, i) => {
      const n = row[4 + i * 4] as number;
      const s = out.series[name] as HistoryAnswer['series'][string];
      s.min.push(row[1 + i * 4] as number | null);
      s.max.push(row[2 + i * 4] as number | null);
      s.mean.push(n === 0 ? null : (row[3 + i * 4] as number) / n);
    });
  }
  return out;
}

function scanJs(db: Database.Database, q: ScanQuery): Columns {
  const w = q.bucketMs;
  const sql = `SELECT t, ${q.fields.join(', ')} FROM raw WHERE f = ? AND t BETWEEN ? AND ? ORDER BY t`;
  const out = empty(q.fields);
  const k = q.fields.length;
  const min = new Float64Array(k);
  const max = new Float64Array(k);
  const sum = new Float64Array(k);
  const n = new Float64Array(k);
  let current = Number.NaN;
  const flush = () => {
    out.t.push(current);
    for (let i = 0; i < k; i++) {
      const s = out.series[q.fields[i] as string] as HistoryAnswer['series'][string];
      s.min.push(n[i] === 0 ? null : (min[i] as number));
      s.max.push(n[i] === 0 ? null : (max[i] as number));
      s.mean.push(n[i] === 0 ? null : (sum[i] as number) / (n[i] as number));
    }
    min.fill(Number.POSITIVE_INFINITY);
    max.fill(Number.NEGATIVE_INFINITY);
    sum.fill(0);
    n.fill(0);
  };
  min.fill(Number.POSITIVE_INFINITY);
  max.fill(Number.NEGATIVE_INFINITY);
  for (const row of prepare(db, sql).raw(true).iterate(q.f, q.lo, q.hi) as Iterable<unknown[]>) {
    const b = Math.floor((row[0] as number) / w) * w;
    if (b !== current) {
      if (!Number.isNaN(current)) flush();
      current = b;
    }
    for (let i = 0; i < k; i++) {
      const v = row[i + 1] as number | null;
      if (v === null) continue;
      if (v < (min[i] as number)) min[i] = v;
      if (v > (max[i] as number)) max[i] = v;
      sum[i] = (sum[i] as number) + v;
      n[i] = (n[i] as number) + 1;
    }
  }
  if (!Number.isNaN(current)) flush();
  return out;
}

/** Throws unless both answers have the same points: same buckets, same min and max, means within 1e-9. */
export function assertSameAnswer(a: Columns, b: Columns, what: string): void {
  const fail = (why: string): never => {
    throw new Error(`${what}: the raw scan and cobrew disagree (${why})`);
  };
  if (a.t.length !== b.t.length || a.t.some((t, i) => t !== b.t[i])) fail('different buckets');
  for (const [name, s] of Object.entries(a.series)) {
    const o = b.series[name] ?? fail(`no ${name}`);
    for (let i = 0; i < a.t.length; i++) {
      if (s.min[i] !== o.min[i] || s.max[i] !== o.max[i]) fail(`${name} min/max at ${a.t[i]}`);
      const x = s.mean[i] ?? null;
      const y = o.mean[i] ?? null;
      if (
        (x === null) !== (y === null) ||
        (x !== null && y !== null && Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(x)))
      ) {
        fail(`${name} mean at ${a.t[i]}`);
      }
    }
  }
}
