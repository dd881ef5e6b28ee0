// The history worker: the only thread that touches the database, so a slow disk, a lock or a long query
// never holds up the control loop on the main thread. It writes what the service sends and answers queries.
// A batch the database refuses goes to the spool on disk, and so does every batch after it until the spool
// has been written back (tried again with a growing delay, and first thing at start): order is kept.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { ScaledClock } from '../common/clock.js';
import { decodeBatch, encodeBatch } from './batch.js';
import {
  type CallMethod,
  type FromWorker,
  type ToWorker,
  toWire,
  type WireError,
  type WorkerConfig,
} from './protocol.js';
import {
  type CsvQuery,
  type HistoryQuery,
  HistoryReader,
  type IncidentQuery,
  type RangeQuery,
} from './reader.js';
import { HistorySpool, type SpoolLineCheck } from './spool.js';
import { HistoryStore, openHistoryDb } from './store.js';

if (parentPort === null) throw new Error('history/worker.ts runs only as a worker thread');
const port: MessagePort = parentPort;
const config = workerData as WorkerConfig;
const post = (msg: FromWorker) => port.postMessage(msg);
const clock = new ScaledClock(config.clock.speed, config.clock.origin);
const now = () => clock.now();

/** Opens the database and the spool, or tells the service why not (and the worker ends, having nothing to do). */
function open(): { store: HistoryStore; spool: HistorySpool } | null {
  let store: HistoryStore | undefined;
  try {
    store = new HistoryStore(config.path, {
      retentionMs: config.retentionMs,
      busyTimeoutMs: config.busyTimeoutMs,
      now,
    });
    return { store, spool: new HistorySpool(config.spoolDir, config.spoolMax) };
  } catch (err) {
    store?.close();
    post({ type: 'fatal', error: toWire(err) });
    port.close();
    return null;
  }
}

/** The spool lines' check, loaded only when there is a spool to read back (TypeBox and Ajv are MBs). */
let checkLine: SpoolLineCheck | undefined;
async function loadCheck(): Promise<SpoolLineCheck> {
  checkLine ??= (await import('./spool-check.js')).checkSpoolItem;
  return checkLine;
}

const opened = open();
if (opened !== null) {
  // Before any port message is handled: what an earlier run spooled is written back first.
  serve(opened.store, opened.spool, opened.spool.empty ? undefined : await loadCheck());
}

/** `check` is given when the spool holds lines: they are written back before anything else. */
function serve(store: HistoryStore, spool: HistorySpool, check: SpoolLineCheck | undefined): void {
  const reader = new HistoryReader(store.db, { retentionMs: config.retentionMs, now });
  /** An export keeps its cursor open between chunks, on a connection of its own so writes go on meanwhile. */
  const exports = new Map<number, { db: Database.Database; chunks: Generator<string> }>();
  let nextExport = 1;

  const methods: Record<CallMethod, (arg: never) => unknown> = {
    history: (q: HistoryQuery) => reader.history(q),
    events: (q: RangeQuery) => reader.events(q),
    incidents: (q: IncidentQuery) => reader.incidents(q),
    fermenters: () => reader.fermenters(),
    csvOpen: (q: CsvQuery) => {
      const db = openHistoryDb(config.path, config.busyTimeoutMs);
      const chunks = new HistoryReader(db, { retentionMs: config.retentionMs, now }).csv(q);
      let header: string;
      try {
        // The header comes first, so that an unknown fermenter or field fails the open, not the stream.
        header = chunks.next().value as string;
      } catch (err) {
        db.close();
        throw err;
      }
      const id = nextExport++;
      exports.set(id, { db, chunks });
      return { id, header };
    },
    csvNext: (id: number) => {
      const open = exports.get(id);
      if (open === undefined) return null;
      const next = open.chunks.next();
      if (!next.done) return next.value;
      exports.delete(id);
      open.db.close();
      return null;
    },
    csvClose: (id: number) => {
      const open = exports.get(id);
      exports.delete(id);
      open?.chunks.return(undefined);
      open?.db.close();
      return null;
    },
  };

  const purge = () => {
    try {
      const removed = store.purge();
      if (removed > 0) post({ type: 'purged', removed });
    } catch {
      // Locked or full now: the next round tries again; nothing is lost by purging later.
    }
  };
  purge();
  const purgeTimer = setInterval(purge, config.purgeEveryMs);

  let closed = false;
  let drainTimer: NodeJS.Timeout | null = null;
  let drainDelay = config.retryMinMs;
  /** Writes the spool back into the database, oldest first; tries again later if it cannot yet. */
  const drain = (check: SpoolLineCheck) => {
    const out = spool.drain((items) => store.ingestBatch(encodeBatch(items)), config.batchMax, check);
    if (out.replayed > 0 || out.skipped > 0 || out.error !== undefined) {
      const { replayed, skipped, result } = out;
      const error = out.error === undefined ? {} : { error: toWire(out.error) };
      post({ type: 'drained', replayed, skipped, result, spooled: spool.size, ...error });
    }
    if (spool.empty) drainDelay = config.retryMinMs;
    else scheduleDrain();
  };
  const scheduleDrain = () => {
    if (drainTimer !== null) return;
    drainTimer = setTimeout(() => {
      void loadCheck().then((check) => {
        drainTimer = null;
        if (!closed) drain(check);
      });
    }, drainDelay);
    drainDelay = Math.min(drainDelay * 2, config.retryMaxMs);
  };

  port.on('message', (msg: ToWorker) => {
    switch (msg.type) {
      case 'write': {
        let error: WireError | undefined;
        // While the spool holds anything, new batches join it behind the older ones.
        if (spool.empty) {
          try {
            post({ type: 'written', seq: msg.seq, result: store.ingestBatch(msg.batch) });
            return;
          } catch (err) {
            error = toWire(err);
          }
        }
        try {
          const dropped = spool.append(decodeBatch(msg.batch));
          post({ type: 'spooled', seq: msg.seq, spooled: spool.size, dropped, ...(error && { error }) });
          scheduleDrain();
        } catch (err) {
          post({ type: 'write-failed', seq: msg.seq, spoolError: toWire(err), ...(error && { error }) });
        }
        return;
      }
      case 'call':
        try {
          post({ type: 'reply', id: msg.id, value: methods[msg.method](msg.arg as never) });
        } catch (err) {
          post({ type: 'reply', id: msg.id, error: toWire(err) });
        }
        return;
      case 'close':
        closed = true;
        clearInterval(purgeTimer);
        if (drainTimer !== null) clearTimeout(drainTimer);
        spool.close();
        for (const open of exports.values()) open.db.close();
        store.close();
        post({ type: 'closed' });
        port.close();
        return;
    }
  });
  post({ type: 'ready', spooled: spool.size });
  // What an earlier run spooled goes first: port messages (new batches) are handled only after this.
  if (check !== undefined) drain(check);
}
