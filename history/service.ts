// The main thread's side of the history store. Writing never waits on disk: write() appends to a bounded
// in-memory queue and returns; one batch at a time goes to the worker, which commits it in one transaction
// and says so. A batch the database refused (full, locked, I/O error) goes to the worker's spool on disk
// and is written later from there; one the spool could not take either goes back to the head of the queue
// and is tried again with a growing delay. Queries are answered by the worker too.

import { dirname } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { BrokerLog } from '../broker/log.js';
import type { ScaledClock } from '../common/clock.js';
import { encodeBatch } from './batch.js';
import { HistorySchema } from './config-schema.js';
import {
  HistoryQueueFullError,
  HistorySpoolFullError,
  HistorySpoolLineError,
  HistorySpoolUnwritableError,
  HistoryTimeoutError,
  HistoryUnavailableError,
  HistoryUnwritableError,
} from './errors.js';
import { historySpoolDir } from './files.js';
import {
  type CallMethod,
  type FromWorker,
  fromWire,
  type ToWorker,
  type WireError,
  type WorkerConfig,
} from './protocol.js';
import type {
  CsvQuery,
  HistoryAnswer,
  HistoryEvent,
  HistoryQuery,
  IncidentQuery,
  RangeQuery,
} from './reader.js';
import { startSiblingWorker } from './sibling-worker.js';
import type { Incident, IngestItem, IngestResult } from './store.js';

export interface HistoryServiceOptions {
  /** The database file, e.g. <data dir>/history.db; the spool is the history-spool folder beside it. */
  path: string;
  retentionMs: number;
  /**
   * Items (readings and incidents) waiting in memory, at most, while neither the database nor the spool can
   * be written; past it the oldest are dropped.
   */
  queueMax: number;
  /** Items in the spool on disk, at most (`history.spoolMax`); past it the oldest are dropped. */
  spoolMax?: number;
  /** Items per transaction, at most. */
  batchMax?: number;
  /**
   * How long the first item written waits for others to join its transaction, in ms; 0 (the default) sends at
   * the end of the event loop's turn.
   */
  gatherMs?: number;
  busyTimeoutMs?: number;
  purgeEveryMs?: number;
  /** First and longest delay before a refused batch, or the spool, is tried again. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** The fermenters' clock (simulated time when accelerated); wall time by default. */
  clock?: ScaledClock;
  /** How long a query may take in the worker before it is answered with COBREW_ERR_HISTORY_TIMEOUT. */
  callTimeoutMs?: number;
  log: BrokerLog;
  /** Told after each commit: `count` items (of a batch, or from the spool) are now in the database. */
  onAcknowledged?: (count: number, result: IngestResult) => void;
}

export interface HistoryStats {
  /** Items in memory, waiting to be sent to the worker. */
  queued: number;
  inFlight: number;
  /** Items on disk in the spool, waiting for the database. */
  spooled: number;
  /** Items committed to the database since start (spooled ones when written back). */
  acknowledged: number;
  /** Items dropped because the in-memory queue was full while neither database nor spool could be written. */
  dropped: number;
  /** Items dropped at the spool's bound. */
  spoolDropped: number;
  /** The database cannot be written: readings go to the spool (or wait in memory) until it can. */
  failing: boolean;
}

type ResolvedOptions = Required<Omit<HistoryServiceOptions, 'onAcknowledged' | 'clock'>> &
  Pick<HistoryServiceOptions, 'onAcknowledged' | 'clock'>;

export class HistoryService {
  readonly #opts: ResolvedOptions;
  readonly #spoolDir: string;
  #worker: Worker;
  #queue: IngestItem[] = [];
  #inFlight: { seq: number; items: IngestItem[] } | null = null;
  #seq = 0;
  #spooled: number;
  #acknowledged = 0;
  #dropped = 0;
  #droppedThisOutage = 0;
  #spoolDropped = 0;
  #spoolDroppedThisOutage = 0;
  #failing = false;
  /** The last batch could be put neither in the database nor in the spool. */
  #spoolFailing = false;
  #retryMs: number;
  #retryTimer: NodeJS.Timeout | null = null;
  #sendScheduled = false;
  #closed = false;
  #calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextCall = 1;
  #waiters: Array<{ done: () => boolean; wake: () => void }> = [];

  private constructor(opts: ResolvedOptions, worker: Worker, spooled: number) {
    this.#opts = opts;
    this.#spoolDir = historySpoolDir(dirname(opts.path));
    this.#retryMs = this.#opts.retryMinMs;
    this.#spooled = spooled;
    if (spooled > 0) {
      opts.log.info(
        { spooled, spool: this.#spoolDir },
        'history readings spooled before the last stop: writing them to the database first',
      );
    }
    this.#worker = worker;
    worker.on('message', (msg: FromWorker) => this.#onMessage(msg));
    worker.on('error', (err) => this.#opts.log.error({ err }, 'the history worker failed'));
    worker.on('exit', (code) => this.#onExit(code));
  }

  /** Starts the worker and opens (or creates) the database; fails with a clear error if it cannot. */
  static async start(options: HistoryServiceOptions): Promise<HistoryService> {
    const opts: ResolvedOptions = {
      spoolMax: HistorySchema.properties.spoolMax.default as number,
      batchMax: 5000,
      gatherMs: 0,
      busyTimeoutMs: 1000,
      purgeEveryMs: 3_600_000,
      retryMinMs: 250,
      retryMaxMs: 10_000,
      callTimeoutMs: 10_000,
      ...options,
    };
    const config: WorkerConfig = {
      path: opts.path,
      retentionMs: opts.retentionMs,
      busyTimeoutMs: opts.busyTimeoutMs,
      purgeEveryMs: opts.purgeEveryMs,
      spoolDir: historySpoolDir(dirname(opts.path)),
      spoolMax: opts.spoolMax,
      batchMax: opts.batchMax,
      retryMinMs: opts.retryMinMs,
      retryMaxMs: opts.retryMaxMs,
      clock: {
        speed: opts.clock?.speed ?? 1,
        origin: opts.clock?.origin ?? { realMs: Date.now(), simMs: Date.now() },
      },
    };
    const worker = startSiblingWorker(import.meta.url, 'worker', 'history-worker', config);
    const spooled = await new Promise<number>((resolve, reject) => {
      const onMessage = (msg: FromWorker) => {
        if (msg.type === 'ready') resolve(msg.spooled);
        else if (msg.type === 'fatal') reject(fromWire(msg.error));
        else return;
        worker.off('message', onMessage);
        worker.off('error', reject);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    }).catch(async (err) => {
      await worker.terminate();
      throw err;
    });
    return new HistoryService(opts, worker, spooled);
  }

  /** Queues items for the database and returns at once. The bound applies to what waits in memory. */
  write(items: readonly IngestItem[]): void {
    if (this.#closed) return;
    for (const item of items) this.#queue.push(item);
    const excess = this.#queue.length + (this.#inFlight?.items.length ?? 0) - this.#opts.queueMax;
    if (excess > 0) {
      // The newest readings matter most to a brewer watching a fermentation: the oldest waiting ones go.
      this.#queue.splice(0, excess);
      this.#dropped += excess;
      if (this.#droppedThisOutage === 0) {
        const err = new HistoryQueueFullError(String(this.#opts.queueMax));
        this.#opts.log.error({ code: err.code, queueMax: this.#opts.queueMax }, err.message);
      }
      this.#droppedThisOutage += excess;
    }
    this.#scheduleSend();
  }

  /** Resolves once everything written so far is committed (acknowledged), the spool included. */
  flushed(): Promise<void> {
    return this.#until(() => this.#settled() && this.#spooled === 0);
  }

  /** Resolves once everything written so far is in the database or in the spool: nothing only in memory. */
  settled(): Promise<void> {
    return this.#until(() => this.#settled());
  }

  stats(): HistoryStats {
    return {
      queued: this.#queue.length,
      inFlight: this.#inFlight?.items.length ?? 0,
      spooled: this.#spooled,
      acknowledged: this.#acknowledged,
      dropped: this.#dropped,
      spoolDropped: this.#spoolDropped,
      failing: this.#failing,
    };
  }

  history(q: HistoryQuery): Promise<HistoryAnswer> {
    return this.#call('history', q) as Promise<HistoryAnswer>;
  }

  events(q: RangeQuery): Promise<HistoryEvent[]> {
    return this.#call('events', q) as Promise<HistoryEvent[]>;
  }

  incidents(q: IncidentQuery = {}): Promise<Incident[]> {
    return this.#call('incidents', q) as Promise<Incident[]>;
  }

  fermenters(): Promise<string[]> {
    return this.#call('fermenters', null) as Promise<string[]>;
  }

  /**
   * Opens a CSV export; fails at once for an unknown fermenter or field. The chunks are read from the
   * database only as the consumer asks for them, so memory stays flat whatever the range.
   */
  async csv(q: CsvQuery): Promise<AsyncGenerator<string>> {
    const { id, header } = (await this.#call('csvOpen', q)) as { id: number; header: string };
    const call = (method: CallMethod) => this.#call(method, id);
    return (async function* chunks() {
      let done = false;
      try {
        yield header;
        for (;;) {
          const chunk = (await call('csvNext')) as string | null;
          if (chunk === null) break;
          yield chunk;
        }
        done = true;
      } finally {
        if (!done) await call('csvClose').catch(() => {});
      }
    })();
  }

  /**
   * Waits (up to `timeoutMs`) for the queue to be written to the database or the spool, then stops the
   * worker. What is in the spool stays there for the next start.
   */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#closed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.settled(), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.#closed = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    // A batch in flight is still committed or spooled before the worker reads the close; the queue behind
    // it is not.
    const left = this.#queue.length;
    if (left > 0)
      this.#opts.log.error({ left }, 'stopping with history readings not yet written: they are lost');
    const exited = new Promise((r) => this.#worker.once('exit', r));
    this.#worker.postMessage({ type: 'close' } satisfies ToWorker);
    await exited;
    if (this.#spooled > 0) {
      this.#opts.log.warn(
        { spooled: this.#spooled, spool: this.#spoolDir },
        'stopping with history readings in the spool: the next start writes them to the database',
      );
    }
  }

  #settled(): boolean {
    return this.#queue.length === 0 && this.#inFlight === null;
  }

  #until(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((wake) => this.#waiters.push({ done, wake }));
  }

  #wakeWaiters(): void {
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.done()) return true;
      w.wake();
      return false;
    });
  }

  #scheduleSend(): void {
    if (this.#sendScheduled || this.#inFlight !== null || this.#retryTimer !== null) return;
    this.#sendScheduled = true;
    // Whatever arrives in the same turn of the event loop, or within gatherMs, joins the batch.
    const send = () => {
      this.#sendScheduled = false;
      this.#send();
    };
    if (this.#opts.gatherMs > 0) setTimeout(send, this.#opts.gatherMs);
    else setImmediate(send);
  }

  #send(): void {
    if (this.#closed || this.#inFlight !== null || this.#queue.length === 0) return;
    const items = this.#queue.splice(0, this.#opts.batchMax);
    this.#inFlight = { seq: ++this.#seq, items };
    const batch = encodeBatch(items);
    this.#worker.postMessage({ type: 'write', seq: this.#inFlight.seq, batch } satisfies ToWorker, [
      batch.states.buffer as ArrayBuffer,
    ]);
  }

  #onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'written': {
        const batch = this.#taken(msg.seq);
        if (batch === null) return;
        this.#acknowledged += batch.items.length;
        this.#recovered();
        this.#opts.onAcknowledged?.(batch.items.length, msg.result);
        this.#next();
        return;
      }
      case 'spooled': {
        if (this.#taken(msg.seq) === null) return;
        this.#spooled = msg.spooled;
        this.#unwritable(msg.error);
        if (this.#spoolFailing) {
          this.#opts.log.info(
            { queued: this.#queue.length, spool: this.#spoolDir },
            'the history spool can be written again; readings wait there for the database',
          );
        }
        this.#spoolFailing = false;
        this.#retryMs = this.#opts.retryMinMs;
        if (msg.dropped > 0) {
          this.#spoolDropped += msg.dropped;
          if (this.#spoolDroppedThisOutage === 0) {
            const err = new HistorySpoolFullError(this.#spoolDir, String(this.#opts.spoolMax));
            this.#opts.log.error({ code: err.code, spoolMax: this.#opts.spoolMax }, err.message);
          }
          this.#spoolDroppedThisOutage += msg.dropped;
        }
        this.#next();
        return;
      }
      case 'write-failed': {
        const batch = this.#taken(msg.seq);
        if (batch === null) return;
        this.#queue.unshift(...batch.items);
        this.#unwritable(msg.error);
        if (!this.#spoolFailing) {
          const err = new HistorySpoolUnwritableError(
            this.#spoolDir,
            msg.spoolError.message,
            String(this.#opts.queueMax),
          );
          this.#opts.log.error(
            { code: err.code, errno: msg.spoolError.code, queueMax: this.#opts.queueMax },
            err.message,
          );
        }
        this.#spoolFailing = true;
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = null;
          this.#send();
        }, this.#retryMs);
        this.#retryMs = Math.min(this.#retryMs * 2, this.#opts.retryMaxMs);
        return;
      }
      case 'drained': {
        this.#spooled = msg.spooled;
        if (msg.skipped > 0) {
          const err = new HistorySpoolLineError(String(msg.skipped), this.#spoolDir);
          this.#opts.log.warn({ code: err.code, skipped: msg.skipped }, err.message);
        }
        if (msg.replayed > 0) {
          this.#acknowledged += msg.replayed;
          this.#opts.log.info(
            { written: msg.replayed, spooled: msg.spooled },
            'history readings from the spool written to the database',
          );
          this.#opts.onAcknowledged?.(msg.replayed, msg.result);
        }
        if (msg.error !== undefined) this.#unwritable(msg.error);
        else if (msg.spooled === 0) {
          this.#recovered();
          // Readings the spool could not take either need not wait for their retry any more.
          if (this.#retryTimer !== null) {
            clearTimeout(this.#retryTimer);
            this.#retryTimer = null;
            this.#send();
          }
        }
        this.#wakeWaiters();
        return;
      }
      case 'reply': {
        const call = this.#calls.get(msg.id);
        this.#calls.delete(msg.id);
        if (msg.error !== undefined) call?.reject(fromWire(msg.error));
        else call?.resolve(msg.value);
        return;
      }
      case 'purged':
        this.#opts.log.debug({ removed: msg.removed }, 'purged raw history past the retention');
        return;
      default:
        return;
    }
  }

  /** The batch in flight, if `seq` is its answer; it is no longer in flight. */
  #taken(seq: number): { seq: number; items: IngestItem[] } | null {
    const batch = this.#inFlight;
    if (batch === null || batch.seq !== seq) return null;
    this.#inFlight = null;
    return batch;
  }

  /** Sends what is queued, or tells whoever waits that all is written. */
  #next(): void {
    if (this.#queue.length > 0) this.#send();
    this.#wakeWaiters();
  }

  /** The database refused a write (`error`, when it was tried): logged once per outage. */
  #unwritable(error: WireError | undefined): void {
    if (this.#failing) return;
    this.#failing = true;
    const reason = error?.message ?? 'earlier readings still wait in the spool';
    const err = new HistoryUnwritableError(reason, this.#spoolDir, String(this.#opts.spoolMax));
    this.#opts.log.warn(
      { code: err.code, sqlite: error?.code, spoolMax: this.#opts.spoolMax, queueMax: this.#opts.queueMax },
      err.message,
    );
  }

  /** The database took a write again, and the spool is empty: the outage is over. */
  #recovered(): void {
    if (this.#failing) {
      this.#opts.log.info(
        {
          dropped: this.#droppedThisOutage,
          spoolDropped: this.#spoolDroppedThisOutage,
          queued: this.#queue.length,
        },
        'the history database can be written again; writing the queued readings',
      );
    }
    this.#failing = false;
    this.#spoolFailing = false;
    this.#droppedThisOutage = 0;
    this.#spoolDroppedThisOutage = 0;
    this.#retryMs = this.#opts.retryMinMs;
  }

  #onExit(code: number): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#opts.log.error({ code }, 'the history worker stopped unexpectedly; history is no longer recorded');
    const err = new HistoryUnavailableError(`its worker exited with code ${code}`);
    for (const call of this.#calls.values()) call.reject(err);
    this.#calls.clear();
  }

  #call(method: CallMethod, arg: unknown): Promise<unknown> {
    if (this.#closed) return Promise.reject(new HistoryUnavailableError('it was stopped'));
    const id = this.#nextCall++;
    return new Promise((resolve, reject) => {
      // A deadline on every request: whatever the worker does, no HTTP request waits on it for ever.
      const timer = setTimeout(() => {
        this.#calls.delete(id);
        reject(new HistoryTimeoutError(method, String(this.#opts.callTimeoutMs)));
      }, this.#opts.callTimeoutMs);
      const settle =
        <T>(f: (v: T) => void) =>
        (v: T) => {
          clearTimeout(timer);
          f(v);
        };
      this.#calls.set(id, { resolve: settle(resolve), reject: settle(reject) });
      this.#worker.postMessage({ type: 'call', id, method, arg } satisfies ToWorker);
    });
  }
}
