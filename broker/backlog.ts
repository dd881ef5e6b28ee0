// The bridge's backlog: states it could not publish while the broker was away, kept on disk in
// <data dir>/bridge-backlog.db (owner-only SQLite, each flush one transaction) and replayed in order once the
// broker is back, so the hub's history has no gap. Bounded in readings and bytes: past either bound the oldest
// go, with one log line per outage. Additions are grouped into one commit a second, so a hundred fermenters
// cost one write a second, not a hundred; close() keeps whatever still waits.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ownerOnlyDir, ownerOnlyFile } from '../common/owner-only.js';
import { boundPageCache } from '../common/sqlite-cache.js';
import { BacklogFullError, BacklogOpenError } from './errors.js';
import { type BrokerLog, silentLog } from './log.js';

export const BACKLOG_FILE_NAME = 'bridge-backlog.db';

export interface BacklogLimits {
  /** Most readings kept; the oldest go first. */
  maxReadings: number;
  /** Most bytes of payload kept; the oldest go first. */
  maxBytes: number;
}

export interface BacklogEntry {
  seq: number;
  fermenterId: string;
  payload: string;
}

export interface Backlog {
  /** Keeps a state's payload, to be replayed later; on disk within flushEveryMs. */
  add(fermenterId: string, payload: string): void;
  /** The oldest `n` readings kept (those waiting for the next flush are flushed first). */
  oldest(n: number): BacklogEntry[];
  /** Forgets every reading up to and including `seq`: they reached the broker. */
  remove(seq: number): void;
  /** Readings kept, flushed or not. */
  size(): number;
  /** The outage is over: a later one logs its own drops. */
  outageOver(): void;
  close(): void;
}

export interface BacklogOptions extends BacklogLimits {
  dataDir: string;
  log?: BrokerLog;
  /** Additions wait at most this long for their commit (wall time). */
  flushEveryMs?: number;
}

export function openBacklog(opts: BacklogOptions): Backlog {
  const log = opts.log ?? silentLog;
  const file = join(opts.dataDir, BACKLOG_FILE_NAME);
  let db: Database.Database;
  try {
    ownerOnlyDir(opts.dataDir);
    db = new Database(file);
    ownerOnlyFile(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    boundPageCache(db);
    db.exec(`CREATE TABLE IF NOT EXISTS backlog (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      fermenter TEXT NOT NULL,
      payload TEXT NOT NULL
    )`);
  } catch (err) {
    throw new BacklogOpenError(file, (err as Error).message, { cause: err });
  }
  const insert = db.prepare('INSERT INTO backlog (fermenter, payload) VALUES (?, ?)');
  const select = db.prepare<[number], { seq: number; fermenter: string; payload: string }>(
    'SELECT seq, fermenter, payload FROM backlog ORDER BY seq LIMIT ?',
  );
  const oldestSizes = db.prepare<[number], { seq: number; bytes: number }>(
    'SELECT seq, length(CAST(payload AS BLOB)) AS bytes FROM backlog ORDER BY seq LIMIT ?',
  );
  const removeUpTo = db.prepare('DELETE FROM backlog WHERE seq <= ?');
  const totalsUpTo = db.prepare<[number], { n: number; bytes: number | null }>(
    'SELECT count(*) AS n, sum(length(CAST(payload AS BLOB))) AS bytes FROM backlog WHERE seq <= ?',
  );
  const totals = totalsUpTo.get(Number.MAX_SAFE_INTEGER) ?? { n: 0, bytes: 0 };
  let count = totals.n;
  let bytes = totals.bytes ?? 0;
  let dropped = 0;
  let pending: Array<[string, string]> = [];
  let timer: NodeJS.Timeout | undefined;

  /** Drops the oldest until both bounds hold; the loop ends since each pass removes at least one row. */
  const trim = () => {
    while (count > opts.maxReadings || bytes > opts.maxBytes) {
      const excess = Math.max(1, count - opts.maxReadings);
      const rows = oldestSizes.all(Math.min(excess + 64, count));
      let last = -1;
      for (const row of rows) {
        if (count <= opts.maxReadings && bytes <= opts.maxBytes) break;
        last = row.seq;
        count -= 1;
        bytes -= row.bytes;
        dropped += 1;
      }
      if (last < 0) break;
      removeUpTo.run(last);
    }
  };
  const flush = db.transaction(() => {
    for (const [id, payload] of pending) {
      insert.run(id, payload);
      count += 1;
      bytes += Buffer.byteLength(payload);
    }
    pending = [];
    const before = dropped;
    trim();
    if (before === 0 && dropped > 0) {
      const err = new BacklogFullError(String(opts.maxReadings), String(opts.maxBytes));
      log.warn({ code: err.code, maxReadings: opts.maxReadings, maxBytes: opts.maxBytes }, err.message);
    }
  });
  const flushNow = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending.length > 0) flush();
  };

  return {
    add(fermenterId, payload) {
      pending.push([fermenterId, payload]);
      timer ??= setTimeout(flushNow, opts.flushEveryMs ?? 1000).unref();
    },
    oldest(n) {
      flushNow();
      return select.all(n).map((r) => ({ seq: r.seq, fermenterId: r.fermenter, payload: r.payload }));
    },
    remove(seq) {
      const gone = db.transaction(() => {
        const rows = totalsUpTo.get(seq);
        removeUpTo.run(seq);
        return rows ?? { n: 0, bytes: 0 };
      })();
      count -= gone.n;
      bytes -= gone.bytes ?? 0;
    },
    size: () => count + pending.length,
    outageOver() {
      if (dropped > 0) log.warn({ dropped }, 'bridge backlog: readings dropped during the outage');
      dropped = 0;
    },
    close() {
      flushNow();
      db.close();
    },
  };
}
