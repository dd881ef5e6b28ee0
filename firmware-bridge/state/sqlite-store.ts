// The control-state store in <data dir>/control.db (SQLite, WAL, synchronous FULL: a change is on disk
// before the command that made it is acknowledged, power cut or not). One row per fermenter and kind.
import { chmodSync, close, fdatasync, mkdirSync, open } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { boundPageCache } from '../../common/sqlite-cache.js';
import type { GuardMemory } from '../safety/guard.js';
import type {
  ControlIntent,
  ControlStateStore,
  FermenterMemory,
  LastSeen,
  StoredControlState,
} from './control-state.js';
import { StateStoreError } from './errors.js';

export const CONTROL_DB_FILE_NAME = 'control.db';

/**
 * Readings are kept at most this often (wall time): they only date an outage. Every fermenter's waiting
 * reading goes in one transaction, so a hundred fermenters cost one commit a second, not a hundred; that
 * commit does not wait for the disk (the states of its round would wait behind it): the log is flushed by
 * libuv's thread pool right after.
 */
const SEEN_EVERY_MS = 1000;
const SCHEMA_VERSION = 1;

type Kind = 'intent' | 'guard' | 'seen';

export function controlDbFile(dataDir: string): string {
  return join(dataDir, CONTROL_DB_FILE_NAME);
}

export interface ControlStateOptions {
  /** The store's own clock, for how often readings are kept; wall time by default. */
  now?: () => number;
  /** Keep the last readings this often at most (default a second). */
  seenEveryMs?: number;
  /** Flushes a file to disk off the event loop (fdatasync by default, as SQLite syncs its log); tests watch it. */
  flushFile?: (path: string, done: (err: Error | null) => void) => void;
}

/**
 * fdatasync on libuv's thread pool, one flush at a time (the store waits for each). The log is opened at its
 * first flush and kept open until the store closes: a second's flush is one call on the pool, not an open, a
 * sync and a close. The log is not there before the first commit: nothing to flush yet.
 */
function logFlusher(): {
  flush: (path: string, done: (err: Error | null) => void) => void;
  close: () => void;
} {
  let fd: number | null = null;
  let busy = false;
  let closing = false;
  const release = () => {
    if (fd !== null) close(fd, () => {});
    fd = null;
  };
  const sync = (done: (err: Error | null) => void) => {
    fdatasync(fd as number, (err) => {
      busy = false;
      if (closing) release();
      done(err);
    });
  };
  return {
    flush(path, done) {
      busy = true;
      if (fd !== null) return sync(done);
      open(path, 'r', (err, opened) => {
        if (err) {
          busy = false;
          return done(err.code === 'ENOENT' ? null : err);
        }
        fd = opened;
        sync(done);
      });
    },
    // A flush under way keeps the descriptor until it ends.
    close() {
      closing = true;
      if (!busy) release();
    },
  };
}

export function openControlState(dataDir: string, opts: ControlStateOptions = {}): ControlStateStore {
  mkdirSync(dataDir, { recursive: true });
  const file = controlDbFile(dataDir);
  const wall = opts.now ?? Date.now;
  const seenEveryMs = opts.seenEveryMs ?? SEEN_EVERY_MS;
  const flusher = opts.flushFile === undefined ? logFlusher() : null;
  const flushFile = opts.flushFile ?? (flusher as ReturnType<typeof logFlusher>).flush;
  let db: Database.Database;
  try {
    db = new Database(file);
    // Who asked what of which fermenter: private to the space's operator.
    chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    boundPageCache(db);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new StateStoreError(file, `it was written by a newer cobrew (schema ${version}); upgrade cobrew`);
    }
    db.exec(`CREATE TABLE IF NOT EXISTS control_state (
      fermenter TEXT NOT NULL,
      kind TEXT NOT NULL,
      value TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (fermenter, kind)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS clock (
      id INTEGER PRIMARY KEY CHECK (id = 1), speed REAL NOT NULL, real_ms INTEGER NOT NULL, sim_ms INTEGER NOT NULL
    );`);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  } catch (err) {
    if ((err as { code?: string }).code === 'COBREW_ERR_STATE_STORE') throw err;
    throw new StateStoreError(file, (err as Error).message);
  }
  const put = db.prepare(
    'INSERT INTO control_state (fermenter, kind, value, updated_at) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (fermenter, kind) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const get = db.prepare<[string], { kind: Kind; value: string }>(
    'SELECT kind, value FROM control_state WHERE fermenter = ?',
  );
  const save = (id: string, kind: Kind, value: unknown) => put.run(id, kind, JSON.stringify(value), wall());
  /** Each fermenter's latest reading not yet kept, and when they were last kept. */
  const pendingSeen = new Map<string, LastSeen>();
  let seenAt = Number.NEGATIVE_INFINITY;
  const commitSeen = db.transaction(() => {
    for (const [id, seen] of pendingSeen) save(id, 'seen', seen);
    pendingSeen.clear();
  });
  /** The write-ahead log's flush: one at a time, and one more if readings were committed meanwhile. */
  const wal = { flushing: false, again: false, failed: null as Error | null };
  const flushWal = () => {
    if (wal.flushing) {
      wal.again = true;
      return;
    }
    wal.flushing = true;
    flushFile(`${file}-wal`, (err) => {
      wal.flushing = false;
      if (err !== null) wal.failed ??= err;
      if (wal.again && !closed) {
        wal.again = false;
        flushWal();
      }
    });
  };
  /**
   * Committed without waiting for the disk (synchronous NORMAL keeps the log consistent, a power cut may only
   * lose the newest commits), then flushed off the event loop: as durable as a synchronous commit a flush
   * later. Inside a batch (together) it is part of that batch's synchronous commit.
   */
  const flushSeen = () => {
    if (pendingSeen.size === 0) return;
    if (db.inTransaction) return commitSeen();
    db.pragma('synchronous = NORMAL');
    try {
      commitSeen();
    } finally {
      db.pragma('synchronous = FULL');
    }
    flushWal();
  };
  let closed = false;

  const memory = (id: string): FermenterMemory => ({
    load(): StoredControlState {
      const found: StoredControlState = { intent: null, guard: null, seen: null };
      for (const row of get.all(id)) {
        const value = JSON.parse(row.value) as unknown;
        if (row.kind === 'intent') found.intent = value as ControlIntent;
        else if (row.kind === 'guard') found.guard = value as GuardMemory;
        else if (row.kind === 'seen') found.seen = value as LastSeen;
      }
      return found;
    },
    saveIntent: (intent) => void save(id, 'intent', intent),
    saveGuard: (m) => void save(id, 'guard', m),
    // Intents and guard memories (latched trips, output edges) are written at once, before the output
    // acts on them; only readings wait for the shared commit.
    saveSeen(seen) {
      // A log that could not be flushed fails a tick, as a synchronous commit that failed would.
      if (wal.failed !== null) {
        const err = wal.failed;
        wal.failed = null;
        throw err;
      }
      pendingSeen.set(id, seen);
      const t = wall();
      if (t - seenAt < seenEveryMs) return;
      seenAt = t;
      flushSeen();
    },
  });

  return {
    forFermenter: memory,
    together: (fn) => db.transaction(fn)(),
    fermenters: () =>
      db
        .prepare<[], { fermenter: string }>('SELECT DISTINCT fermenter FROM control_state ORDER BY fermenter')
        .all()
        .map((r) => r.fermenter),
    resetIntent: (id) =>
      db.prepare("DELETE FROM control_state WHERE fermenter = ? AND kind = 'intent'").run(id).changes > 0,
    clockOrigin(speed, realNow) {
      const row = db
        .prepare<[], { speed: number; real_ms: number; sim_ms: number }>(
          'SELECT speed, real_ms, sim_ms FROM clock WHERE id = 1',
        )
        .get();
      if (row !== undefined && row.speed === speed) return { realMs: row.real_ms, simMs: row.sim_ms };
      // Real time is wall time; a new simulation speed carries on from where the previous clock stood.
      const simMs =
        speed === 1 || row === undefined ? realNow : row.sim_ms + (realNow - row.real_ms) * row.speed;
      db.prepare(
        'INSERT INTO clock (id, speed, real_ms, sim_ms) VALUES (1, ?, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET speed = excluded.speed, real_ms = excluded.real_ms, sim_ms = excluded.sim_ms',
      ).run(speed, realNow, simMs);
      return { realMs: realNow, simMs };
    },
    close() {
      if (closed) return;
      closed = true;
      // Synchronous: the last readings are on disk before the process goes.
      commitSeen();
      db.close();
      flusher?.close();
    },
  };
}
