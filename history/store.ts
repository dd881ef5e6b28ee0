// The writing side of the history database: one transaction per batch puts the raw rows, their rollups,
// the events they reveal and the incidents in together, so the rollups always agree with the raw rows.
// Synchronous (better-sqlite3); the recorder runs it in a worker thread, never on the control loop's thread.
import Database from 'better-sqlite3';
import { WIRE_FUTURE_TOLERANCE_MS } from '../broker/wire-time.js';
import { ownerOnlyFile } from '../common/owner-only.js';
import { boundPageCache } from '../common/sqlite-cache.js';
import { migrate } from '../common/sqlite-migrate.js';
import { type Aggregate, addBlob, addValues, emptyAggregate, FIELD_COUNT, toBlob } from './aggregate.js';
import { type EncodedBatch, encodeBatch, STRIDE } from './batch.js';
import { HISTORY_MIGRATIONS } from './db-schema.js';
import { HistoryOpenError, HistoryTooNewError } from './errors.js';
import type { IngestItem } from './ingest.js';
import { bucketStart, horizonOf, ROLLUP_LEVELS } from './levels.js';
import { HISTORY_FIELDS } from './reading.js';

export type { Incident, IncidentItem, IngestItem, StateItem } from './ingest.js';

const BEER_SP = HISTORY_FIELDS.indexOf('beerSetpointC');
const CHAMBER_SP = HISTORY_FIELDS.indexOf('chamberSetpointC');

export interface IngestResult {
  /** Raw rows written. */
  stored: number;
  /** Readings already present (a retained state seen again after a reconnect): ignored. */
  duplicates: number;
  /** Readings older than the retention horizon: their raw row would be purged at once, so they are dropped. */
  tooOld: number;
  incidents: number;
  events: number;
}

export interface StoreOptions {
  /**
   * A fermenter's raw rows older than its newest reading minus this are purged (rollups are kept); never
   * rows newer than the local clock minus this, whatever time a reading claims.
   */
  retentionMs: number;
  /** The local clock (the fermenters' one, simulated time when accelerated); wall time by default. */
  now?: () => number;
  /** How long a write waits for another connection's lock before failing (and being retried later). */
  busyTimeoutMs?: number;
}

interface FermenterRow {
  id: number;
  lastT: number | null;
  lastMode: string | null;
  lastBeerSp: number | null;
  lastChamberSp: number | null;
  lastStep: number | null;
}

/**
 * history.db's page cache per connection, KiB. A write touches the last page of each fermenter's raw rows and
 * rollups; 512 KiB ingested 100 fermenters' readings as fast as SQLite's 16 MB default (6.6 against 6.5 ms
 * a batch of 100), and its connection stays at that size whatever the file grows to.
 */
export const HISTORY_PAGE_CACHE_KIB = 512;

/** Opens (creating if needed) the database in WAL mode with the pragmas every cobrew connection uses. */
export function openHistoryDb(path: string, busyTimeoutMs = 1000): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
    if (path !== ':memory:') ownerOnlyFile(path);
    db.pragma('journal_mode = WAL');
    // FULL: a committed (acknowledged) batch survives a power cut, not only a crash of cobrew. Batches are
    // large under load, so the fsync per commit costs little.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = OFF');
    boundPageCache(db, HISTORY_PAGE_CACHE_KIB);
    migrate(db, {
      migrations: HISTORY_MIGRATIONS,
      tooNew: (found) => new HistoryTooNewError(path, String(found)),
    });
  } catch (err) {
    db?.close();
    if (err instanceof HistoryTooNewError) throw err;
    throw new HistoryOpenError(path, (err as Error).message, { cause: err });
  }
  return db;
}

export class HistoryStore {
  readonly db: Database.Database;
  readonly #retentionMs: number;
  readonly #now: () => number;
  /** Committed state of the fermenters table; a failed transaction leaves it untouched. */
  readonly #fermenters = new Map<string, FermenterRow>();
  readonly #insertRaw: Database.Statement;
  readonly #rollupReads: Database.Statement[];
  readonly #rollupWrites: Database.Statement[];
  readonly #insertFermenter: Database.Statement;
  readonly #updateFermenter: Database.Statement;
  readonly #insertEvent: Database.Statement;
  readonly #insertIncident: Database.Statement;
  readonly #ingest: (batch: EncodedBatch) => {
    result: IngestResult;
    touched: Map<string, FermenterRow>;
  };

  constructor(path: string, opts: StoreOptions) {
    this.db = openHistoryDb(path, opts.busyTimeoutMs);
    this.#retentionMs = opts.retentionMs;
    this.#now = opts.now ?? Date.now;
    const db = this.db;
    const latest = this.#now() + WIRE_FUTURE_TOLERANCE_MS;
    for (const row of db.prepare('SELECT * FROM fermenters').all() as Array<Record<string, unknown>>) {
      const lastT = row.last_t as number | null;
      this.#fermenters.set(row.name as string, {
        id: row.id as number,
        // A time ahead of the clock was never a real reading (one got in before times were checked at the
        // door): forgotten, so that it neither holds events back nor sets the horizon.
        lastT: lastT !== null && lastT > latest ? null : lastT,
        lastMode: row.last_mode as string | null,
        lastBeerSp: row.last_beer_sp as number | null,
        lastChamberSp: row.last_chamber_sp as number | null,
        lastStep: row.last_step as number | null,
      });
    }
    this.#insertRaw = db.prepare(
      `INSERT OR IGNORE INTO raw (f, t, ${HISTORY_FIELDS.join(', ')}) VALUES (?, ?${', ?'.repeat(FIELD_COUNT)})`,
    );
    this.#rollupReads = ROLLUP_LEVELS.map((l) =>
      db.prepare(`SELECT agg FROM ${l.table} WHERE f = ? AND b = ?`).pluck(),
    );
    this.#rollupWrites = ROLLUP_LEVELS.map((l) =>
      db.prepare(`INSERT OR REPLACE INTO ${l.table} (f, b, agg) VALUES (?, ?, ?)`),
    );
    this.#insertFermenter = db.prepare('INSERT INTO fermenters (name) VALUES (?)');
    this.#updateFermenter = db.prepare(
      `UPDATE fermenters SET last_t = ?, last_mode = ?, last_beer_sp = ?, last_chamber_sp = ?, last_step = ?
       WHERE id = ?`,
    );
    this.#insertEvent = db.prepare('INSERT INTO events (f, t, kind, detail) VALUES (?, ?, ?, ?)');
    this.#insertIncident = db.prepare(
      'INSERT OR IGNORE INTO incidents (f, t, seq, body) VALUES (?, ?, ?, ?)',
    );
    this.#ingest = db.transaction((batch: EncodedBatch) => this.#write(batch));
  }

  /**
   * The oldest time a fermenter's raw rows are kept for: its newest reading minus the retention, and never
   * later than the local clock minus the retention. Each fermenter has its own: another fermenter's readings
   * (or clock) cannot make this one's "too old".
   */
  rawHorizon(fermenter: string): number {
    const lastT = this.#fermenters.get(fermenter)?.lastT ?? null;
    return horizonOf(lastT, this.#now(), this.#retentionMs);
  }

  /** Writes a batch in one transaction; throws (having written nothing) when the database cannot be written. */
  ingest(items: readonly IngestItem[]): IngestResult {
    return this.ingestBatch(encodeBatch(items));
  }

  /** The same, for a batch the service encoded (batch.ts). */
  ingestBatch(batch: EncodedBatch): IngestResult {
    const { result, touched } = this.#ingest(batch);
    for (const [name, row] of touched) this.#fermenters.set(name, row);
    return result;
  }

  /** Deletes raw rows older than the retention horizon, a fermenter at a time; returns how many went. */
  purge(): number {
    const del = this.db.prepare('DELETE FROM raw WHERE f = ? AND t < ?');
    const now = this.#now();
    let removed = 0;
    for (const f of this.#fermenters.values()) {
      const horizon = horizonOf(f.lastT, now, this.#retentionMs);
      if (Number.isFinite(horizon)) removed += del.run(f.id, horizon).changes;
    }
    return removed;
  }

  close(): void {
    this.db.close();
  }

  #write(batch: EncodedBatch): { result: IngestResult; touched: Map<string, FermenterRow> } {
    const result: IngestResult = { stored: 0, duplicates: 0, tooOld: 0, incidents: 0, events: 0 };
    const touched = new Map<string, FermenterRow>();
    const fermenter = (name: string): FermenterRow => {
      let row = touched.get(name);
      if (row !== undefined) return row;
      const known = this.#fermenters.get(name);
      row =
        known === undefined
          ? {
              id: Number(this.#insertFermenter.run(name).lastInsertRowid),
              lastT: null,
              lastMode: null,
              lastBeerSp: null,
              lastChamberSp: null,
              lastStep: null,
            }
          : { ...known };
      touched.set(name, row);
      return row;
    };
    const now = this.#now();
    // Rollup deltas of this batch, per level and bucket, folded into the tables once at the end.
    const deltas = ROLLUP_LEVELS.map(() => new Map<number, Map<number, Aggregate>>());
    const values: Array<number | null> = new Array(FIELD_COUNT);
    const params: Array<number | null> = new Array(2 + FIELD_COUNT); // reused: no garbage per row

    for (const inc of batch.incidents) {
      const f = fermenter(inc.fermenterId);
      result.incidents += this.#insertIncident.run(f.id, inc.at, inc.id, JSON.stringify(inc)).changes;
    }
    const { states } = batch;
    const rows = batch.fermenters.map(fermenter);
    // States come in time order: a fermenter's next reading nearly always falls in the bucket of its last.
    const lastBucket = rows.map(() => new Float64Array(ROLLUP_LEVELS.length).fill(Number.NaN));
    const lastAcc = rows.map((): Aggregate[] => []);
    const horizons = rows.map((f) => horizonOf(f.lastT, now, this.#retentionMs));
    for (let o = 0; o < states.length; o += STRIDE) {
      const at = states[o + 1] as number;
      if (at < (horizons[states[o] as number] as number)) {
        result.tooOld += 1;
        continue;
      }
      const f = rows[states[o] as number] as FermenterRow;
      params[0] = f.id;
      params[1] = at;
      for (let i = 0; i < FIELD_COUNT; i++) {
        const v = states[o + 4 + i] as number;
        values[i] = Number.isNaN(v) ? null : v;
        params[2 + i] = values[i] as number | null;
      }
      if (this.#insertRaw.run(params).changes === 0) {
        result.duplicates += 1;
        continue;
      }
      result.stored += 1;
      const fi = states[o] as number;
      const seenB = lastBucket[fi] as Float64Array;
      const seenAcc = lastAcc[fi] as Aggregate[];
      for (let l = 0; l < ROLLUP_LEVELS.length; l++) {
        const b = bucketStart(at, (ROLLUP_LEVELS[l] as (typeof ROLLUP_LEVELS)[number]).widthMs);
        if (seenB[l] === b) {
          addValues(seenAcc[l] as Aggregate, values);
          continue;
        }
        const perFermenter = deltas[l] as Map<number, Map<number, Aggregate>>;
        let buckets = perFermenter.get(f.id);
        if (buckets === undefined) {
          buckets = new Map();
          perFermenter.set(f.id, buckets);
        }
        let acc = buckets.get(b);
        if (acc === undefined) {
          acc = emptyAggregate();
          buckets.set(b, acc);
        }
        seenB[l] = b;
        seenAcc[l] = acc;
        addValues(acc, values);
      }
      if (f.lastT === null || at > f.lastT) {
        const step = states[o + 3] as number;
        const mode = batch.modes[states[o + 2] as number] as string;
        result.events += this.#detectEvents(f, at, mode, Number.isNaN(step) ? null : step, values);
      }
    }

    // Each touched bucket is read, merged and written back once per batch, inside the same transaction.
    for (let l = 0; l < ROLLUP_LEVELS.length; l++) {
      const read = this.#rollupReads[l] as Database.Statement;
      const write = this.#rollupWrites[l] as Database.Statement;
      for (const [f, buckets] of deltas[l] as Map<number, Map<number, Aggregate>>) {
        for (const [b, acc] of buckets) {
          const stored = read.get(f, b) as Buffer | undefined;
          if (stored !== undefined) addBlob(acc, stored);
          write.run(f, b, toBlob(acc));
        }
      }
    }
    for (const f of touched.values()) {
      this.#updateFermenter.run(f.lastT, f.lastMode, f.lastBeerSp, f.lastChamberSp, f.lastStep, f.id);
    }
    return { result, touched };
  }

  /** Compares a state with the fermenter's previous one and records what changed; returns how many events. */
  #detectEvents(
    f: FermenterRow,
    at: number,
    mode: string,
    profileStep: number | null,
    values: ReadonlyArray<number | null>,
  ): number {
    const beerSp = values[BEER_SP] ?? null;
    const chamberSp = values[CHAMBER_SP] ?? null;
    let events = 0;
    const record = (kind: string, detail: Record<string, unknown>) => {
      this.#insertEvent.run(f.id, at, kind, JSON.stringify(detail));
      events += 1;
    };
    if (mode !== f.lastMode) record('mode', { from: f.lastMode, to: mode });
    // In beer mode the chamber setpoint is the controller's own output and moves every tick, and in profile
    // mode the beer setpoint follows the ramps: only the setpoint a person sets is an event.
    else if (mode === 'beer' && beerSp !== f.lastBeerSp) {
      record('setpoint', { field: 'beerSetpointC', from: f.lastBeerSp, to: beerSp });
    } else if (mode === 'chamber' && chamberSp !== f.lastChamberSp) {
      record('setpoint', { field: 'chamberSetpointC', from: f.lastChamberSp, to: chamberSp });
    }
    if (mode === 'profile' && profileStep !== null && profileStep !== f.lastStep) {
      record('profile-step', { from: f.lastStep, to: profileStep });
    }
    f.lastT = at;
    f.lastMode = mode;
    f.lastBeerSp = beerSp;
    f.lastChamberSp = chamberSp;
    f.lastStep = mode === 'profile' ? profileStep : null;
    return events;
  }
}
