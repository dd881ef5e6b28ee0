// The reading side of the history database: downsampled series, CSV rows, events and incidents. Synchronous
// (better-sqlite3): the app runs it in the history worker; `cobrew export` runs it in its own process.
import type Database from 'better-sqlite3';
import { type Aggregate, addBlobField, addValue, emptyAggregate, fieldStats } from './aggregate.js';
import { HistoryFieldError, HistoryRangeError, HistoryUnknownFermenterError } from './errors.js';
import { bucketStart, horizonOf, type LevelName, planQuery } from './levels.js';
import { DEFAULT_MAX_POINTS, MAX_MAX_POINTS, MAX_TIME_MS } from './query-limits.js';
import { HISTORY_FIELDS, type HistoryField } from './reading.js';
import type { Incident } from './store.js';

const DAY_MS = 86_400_000;

export interface HistoryQuery {
  fermenterId: string;
  /** Epoch ms; default: `to` minus 24 h. */
  from?: number;
  /** Epoch ms; default: the fermenter's newest reading. */
  to?: number;
  /** Default: every field. */
  fields?: readonly string[];
  maxPoints?: number;
}

export interface SeriesColumns {
  min: (number | null)[];
  mean: (number | null)[];
  max: (number | null)[];
}

/** Columnar, ready for uPlot: `t[i]` is the start of point i (epoch ms), series[field].*[i] its values. */
export interface HistoryAnswer {
  fermenterId: string;
  from: number;
  to: number;
  level: LevelName;
  /** Width of a point's bucket in ms; null when points are raw readings. */
  bucketMs: number | null;
  fields: HistoryField[];
  t: number[];
  series: Record<string, SeriesColumns>;
}

/** Incidents, and the changes of mode, setpoint and profile step seen in the state stream. */
export type HistoryEvent =
  | { at: number; kind: 'incident'; id: number; code: string; severity: string; message: string }
  | { at: number; kind: 'mode'; from: string | null; to: string }
  | { at: number; kind: 'setpoint'; field: string; from: number | null; to: number | null }
  | { at: number; kind: 'profile-step'; from: number | null; to: number | null };
export type HistoryEventKind = HistoryEvent['kind'];

export interface RangeQuery {
  fermenterId: string;
  from?: number;
  to?: number;
}

export interface IncidentQuery {
  fermenterId?: string;
  from?: number;
  to?: number;
  limit?: number;
}

export interface CsvQuery {
  fermenterId: string;
  from?: number;
  to?: number;
  fields?: readonly string[];
}

export interface ReaderOptions {
  /** The store's retention: ranges reaching before the raw horizon are answered from rollups. */
  retentionMs: number;
  /** The local clock: the raw horizon is never later than it minus the retention. */
  now?: () => number;
}

export class HistoryReader {
  readonly #db: Database.Database;
  readonly #retentionMs: number;
  readonly #now: () => number;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database, opts: ReaderOptions) {
    this.#db = db;
    this.#retentionMs = opts.retentionMs;
    this.#now = opts.now ?? Date.now;
  }

  /** Fermenter ids that have any history, in the order they first appeared. */
  fermenters(): string[] {
    return (this.#prepare('SELECT name FROM fermenters ORDER BY id').pluck().all() as string[]).slice();
  }

  history(q: HistoryQuery): HistoryAnswer {
    const { f, newest } = this.#fermenter(q.fermenterId);
    const fields = checkFields(q.fields);
    const { from, to } = resolveRange(q.from, q.to, newest ?? 0, DAY_MS);
    const maxPoints = Math.min(Math.max(1, Math.floor(q.maxPoints ?? DEFAULT_MAX_POINTS)), MAX_MAX_POINTS);
    const plan = planQuery({
      from,
      to,
      maxPoints,
      rawHorizon: horizonOf(newest, this.#now(), this.#retentionMs),
      rawCount: () =>
        this.#prepare('SELECT count(*) FROM raw WHERE f = ? AND t BETWEEN ? AND ?')
          .pluck()
          .get(f, from, to) as number,
    });
    const answer: HistoryAnswer = {
      fermenterId: q.fermenterId,
      from,
      to,
      level: plan.level === 'raw' ? 'raw' : plan.level.name,
      bucketMs: plan.bucketMs,
      fields,
      t: [],
      series: Object.fromEntries(fields.map((name) => [name, { min: [], mean: [], max: [] }])),
    };
    if (plan.bucketMs === null) {
      const sql = `SELECT t, ${fields.join(', ')} FROM raw WHERE f = ? AND t BETWEEN ? AND ? ORDER BY t`;
      for (const row of this.#prepare(sql).raw(true).all(f, from, to) as unknown[][]) {
        answer.t.push(row[0] as number);
        fields.forEach((name, i) => {
          const v = row[i + 1] as number | null;
          const s = answer.series[name] as SeriesColumns;
          s.min.push(v);
          s.mean.push(v);
          s.max.push(v);
        });
      }
      return answer;
    }
    const w = plan.bucketMs;
    const lo = bucketStart(from, w);
    const hi = bucketStart(to, w) + w - 1;
    // Each output bucket merges whole rollup buckets (or raw rows): min of mins, max of maxes, Σsum / Σcount.
    const columns = fields.map((name) => HISTORY_FIELDS.indexOf(name));
    let current = Number.NaN;
    let acc: Aggregate = emptyAggregate();
    const emit = () => {
      answer.t.push(current);
      columns.forEach((c, i) => {
        const st = fieldStats(acc, c);
        const s = answer.series[fields[i] as string] as SeriesColumns;
        s.min.push(st.min);
        s.max.push(st.max);
        s.mean.push(st.n === 0 ? null : st.sum / st.n);
      });
      acc = emptyAggregate();
    };
    if (plan.level === 'raw') {
      const sql = `SELECT t, ${fields.join(', ')} FROM raw WHERE f = ? AND t BETWEEN ? AND ? ORDER BY t`;
      for (const row of this.#prepare(sql).raw(true).all(f, lo, hi) as unknown[][]) {
        const ob = bucketStart(row[0] as number, w);
        if (ob !== current) {
          if (!Number.isNaN(current)) emit();
          current = ob;
        }
        for (let i = 0; i < columns.length; i++)
          addValue(acc, columns[i] as number, row[i + 1] as number | null);
      }
    } else {
      const sql = `SELECT b, agg FROM ${plan.level.table} WHERE f = ? AND b BETWEEN ? AND ? ORDER BY b`;
      for (const row of this.#prepare(sql).raw(true).all(f, lo, hi) as Array<[number, Buffer]>) {
        const ob = bucketStart(row[0], w);
        if (ob !== current) {
          if (!Number.isNaN(current)) emit();
          current = ob;
        }
        for (const c of columns) addBlobField(acc, row[1], c);
      }
    }
    if (!Number.isNaN(current)) emit();
    return answer;
  }

  /**
   * The raw readings of a range as CSV text, a chunk at a time straight from the statement's cursor, so that
   * memory stays flat whatever the range. Times are UTC; an empty cell is a value the state did not have.
   */
  *csv(q: CsvQuery, rowsPerChunk = 2000): Generator<string> {
    const { f, newest } = this.#fermenter(q.fermenterId);
    const fields = checkFields(q.fields);
    const { from, to } = resolveRange(q.from, q.to, newest ?? 0, DAY_MS);
    yield `time,epoch_ms,${fields.join(',')}\n`;
    const sql = `SELECT t, ${fields.join(', ')} FROM raw WHERE f = ? AND t BETWEEN ? AND ? ORDER BY t`;
    let chunk = '';
    let rows = 0;
    // A statement of its own: a cursor left open between chunks must not make the cached one busy.
    for (const row of this.#db.prepare(sql).raw(true).iterate(f, from, to) as Iterable<unknown[]>) {
      chunk += `${new Date(row[0] as number).toISOString()},${row[0]}`;
      for (let i = 1; i < row.length; i++) chunk += row[i] === null ? ',' : `,${row[i]}`;
      chunk += '\n';
      if (++rows === rowsPerChunk) {
        yield chunk;
        chunk = '';
        rows = 0;
      }
    }
    if (chunk !== '') yield chunk;
  }

  /** Incidents and the changes of mode, setpoint and profile step of a fermenter, oldest first. */
  events(q: RangeQuery): HistoryEvent[] {
    const { f } = this.#fermenter(q.fermenterId);
    const from = q.from ?? 0;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    if (from > to) throw new HistoryRangeError(`from (${from}) is after to (${to})`);
    const changes = (
      this.#prepare(
        'SELECT t, kind, detail FROM events WHERE f = ? AND t BETWEEN ? AND ? ORDER BY t, rowid',
      ).all(f, from, to) as Array<{ t: number; kind: HistoryEventKind; detail: string }>
    ).map((r): HistoryEvent => ({ at: r.t, kind: r.kind, ...JSON.parse(r.detail) }));
    const incidents = (
      this.#prepare('SELECT body FROM incidents WHERE f = ? AND t BETWEEN ? AND ? ORDER BY t, seq')
        .pluck()
        .all(f, from, to) as string[]
    ).map((body): HistoryEvent => {
      const i = JSON.parse(body) as Incident;
      return { at: i.at, kind: 'incident', code: i.code, severity: i.severity, message: i.message, id: i.id };
    });
    // Both lists are sorted: a stable sort of the two keeps each one's order at equal times.
    return [...changes, ...incidents].sort((a, b) => a.at - b.at);
  }

  /** Incidents newest first, of one fermenter or all. */
  incidents(q: IncidentQuery = {}): Incident[] {
    const from = q.from ?? 0;
    const to = q.to ?? Number.MAX_SAFE_INTEGER;
    if (from > to) throw new HistoryRangeError(`from (${from}) is after to (${to})`);
    const limit = Math.min(Math.max(1, Math.floor(q.limit ?? 100)), 1000);
    const rows =
      q.fermenterId === undefined
        ? this.#prepare(
            'SELECT body FROM incidents WHERE t BETWEEN ? AND ? ORDER BY t DESC, seq DESC LIMIT ?',
          )
            .pluck()
            .all(from, to, limit)
        : this.#prepare(
            'SELECT body FROM incidents WHERE f = ? AND t BETWEEN ? AND ? ORDER BY t DESC, seq DESC LIMIT ?',
          )
            .pluck()
            .all(this.#fermenter(q.fermenterId).f, from, to, limit);
    return (rows as string[]).map((body) => JSON.parse(body) as Incident);
  }

  #fermenter(name: string): { f: number; newest: number | null } {
    const row = this.#prepare('SELECT id, last_t FROM fermenters WHERE name = ?').get(name) as
      | { id: number; last_t: number | null }
      | undefined;
    if (row === undefined) throw new HistoryUnknownFermenterError(name);
    return { f: row.id, newest: row.last_t };
  }

  #prepare(sql: string): Database.Statement {
    let stmt = this.#statements.get(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }
}

function checkFields(fields: readonly string[] | undefined): HistoryField[] {
  if (fields === undefined || fields.length === 0) return [...HISTORY_FIELDS];
  const out: HistoryField[] = [];
  for (const name of fields) {
    if (!(HISTORY_FIELDS as readonly string[]).includes(name)) {
      throw new HistoryFieldError(name, HISTORY_FIELDS.join(', '));
    }
    if (!out.includes(name as HistoryField)) out.push(name as HistoryField);
  }
  return out;
}

/** Missing ends default to a window of `spanMs` ending at `newest`. */
export function resolveRange(
  from: number | undefined,
  to: number | undefined,
  newest: number,
  spanMs: number,
): { from: number; to: number } {
  const end = to ?? (from === undefined ? newest : Math.max(newest, from));
  const start = from ?? Math.max(0, end - spanMs);
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new HistoryRangeError('from and to must be numbers');
  if (start < 0 || end > MAX_TIME_MS)
    throw new HistoryRangeError(
      `from and to must lie between 0 and ${MAX_TIME_MS} (the latest date there is)`,
    );
  if (start > end) throw new HistoryRangeError(`from (${start}) is after to (${end})`);
  return { from: start, to: end };
}

/** Accepts epoch milliseconds or an ISO 8601 date (as `cobrew export --from` and the routes take them). */
export function parseTime(text: string, what: string): number {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  const t = Date.parse(trimmed);
  if (Number.isNaN(t))
    throw new HistoryRangeError(`${what} "${text}" is neither epoch milliseconds nor an ISO 8601 date`);
  return t;
}
