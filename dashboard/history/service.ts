// The main thread's side of the history store. Writing never waits on disk: write() appends to a bounded
// in-memory queue and returns; one batch at a time goes to the worker, which commits it in one transaction
// and says so. A batch the database refused (full, locked, I/O error) goes back to the head of the queue
// and is tried again with a growing delay. Queries are answered by the worker too.
import { Worker } from 'node:worker_threads';
import type { BrokerLog } from '../../broker/log.js';
import { encodeBatch } from './batch.js';
import { HistoryQueueFullError, HistoryUnavailableError, HistoryUnwritableError } from './errors.js';
import { type CallMethod, type FromWorker, fromWire, type ToWorker, type WorkerConfig } from './protocol.js';
import type {
  CsvQuery,
  HistoryAnswer,
  HistoryEvent,
  HistoryQuery,
  IncidentQuery,
  RangeQuery,
} from './reader.js';
import type { Incident, IngestItem, IngestResult } from './store.js';

export interface HistoryServiceOptions {
  /** The database file, e.g. <data dir>/history.db. */
  path: string;
  retentionMs: number;
  /** Items (readings and incidents) waiting for the database, at most; past it the oldest are dropped. */
  queueMax: number;
  /** Items per transaction, at most. */
  batchMax?: number;
  busyTimeoutMs?: number;
  purgeEveryMs?: number;
  /** First and longest delay before a refused batch is tried again. */
  retryMinMs?: number;
  retryMaxMs?: number;
  log: BrokerLog;
  /** Told after each commit: `count` items of this batch are now acknowledged (in the database). */
  onAcknowledged?: (count: number, result: IngestResult) => void;
}

export interface HistoryStats {
  queued: number;
  inFlight: number;
  /** Items committed to the database since start. */
  acknowledged: number;
  /** Items dropped because the queue was full while the database could not be written. */
  dropped: number;
  /** The last write failed and is being retried. */
  failing: boolean;
}

export class HistoryService {
  readonly #opts: Required<Omit<HistoryServiceOptions, 'onAcknowledged'>> &
    Pick<HistoryServiceOptions, 'onAcknowledged'>;
  #worker: Worker;
  #queue: IngestItem[] = [];
  #inFlight: { seq: number; items: IngestItem[] } | null = null;
  #seq = 0;
  #acknowledged = 0;
  #dropped = 0;
  #droppedThisOutage = 0;
  #failing = false;
  #retryMs: number;
  #retryTimer: NodeJS.Timeout | null = null;
  #sendScheduled = false;
  #closed = false;
  #calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextCall = 1;
  #idleWaiters: Array<() => void> = [];

  private constructor(opts: HistoryServiceOptions, worker: Worker) {
    this.#opts = {
      batchMax: 5000,
      busyTimeoutMs: 1000,
      purgeEveryMs: 3_600_000,
      retryMinMs: 250,
      retryMaxMs: 10_000,
      ...opts,
    };
    this.#retryMs = this.#opts.retryMinMs;
    this.#worker = worker;
    worker.on('message', (msg: FromWorker) => this.#onMessage(msg));
    worker.on('error', (err) => this.#opts.log.error({ err }, 'the history worker failed'));
    worker.on('exit', (code) => this.#onExit(code));
  }

  /** Starts the worker and opens (or creates) the database; fails with a clear error if it cannot. */
  static async start(opts: HistoryServiceOptions): Promise<HistoryService> {
    const config: WorkerConfig = {
      path: opts.path,
      retentionMs: opts.retentionMs,
      busyTimeoutMs: opts.busyTimeoutMs ?? 1000,
      purgeEveryMs: opts.purgeEveryMs ?? 3_600_000,
    };
    const worker = spawnWorker(config);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (msg: FromWorker) => {
        if (msg.type === 'ready') resolve();
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
    return new HistoryService(opts, worker);
  }

  /** Queues items for the database and returns at once. */
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

  /** Resolves once everything written so far is committed (acknowledged). */
  flushed(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  stats(): HistoryStats {
    return {
      queued: this.#queue.length,
      inFlight: this.#inFlight?.items.length ?? 0,
      acknowledged: this.#acknowledged,
      dropped: this.#dropped,
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

  /** Waits (up to `timeoutMs`) for the queue to be written, then stops the worker. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#closed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flushed(), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.#closed = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    // A batch in flight is still committed before the worker reads the close; the queue behind it is not.
    const left = this.#queue.length;
    if (left > 0)
      this.#opts.log.error({ left }, 'stopping with history readings not yet written: they are lost');
    const exited = new Promise((r) => this.#worker.once('exit', r));
    this.#worker.postMessage({ type: 'close' } satisfies ToWorker);
    await exited;
  }

  #idle(): boolean {
    return this.#queue.length === 0 && this.#inFlight === null;
  }

  #scheduleSend(): void {
    if (this.#sendScheduled || this.#inFlight !== null || this.#retryTimer !== null) return;
    this.#sendScheduled = true;
    // Whatever arrives in the same turn of the event loop joins the batch.
    setImmediate(() => {
      this.#sendScheduled = false;
      this.#send();
    });
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
        const batch = this.#inFlight;
        if (batch === null || batch.seq !== msg.seq) return;
        this.#inFlight = null;
        this.#acknowledged += batch.items.length;
        if (this.#failing) {
          this.#opts.log.info(
            { dropped: this.#droppedThisOutage, queued: this.#queue.length },
            'the history database can be written again; writing the queued readings',
          );
        }
        this.#failing = false;
        this.#droppedThisOutage = 0;
        this.#retryMs = this.#opts.retryMinMs;
        this.#opts.onAcknowledged?.(batch.items.length, msg.result);
        if (this.#queue.length > 0) this.#send();
        else for (const wake of this.#idleWaiters.splice(0)) wake();
        return;
      }
      case 'write-failed': {
        const batch = this.#inFlight;
        if (batch === null || batch.seq !== msg.seq) return;
        this.#inFlight = null;
        this.#queue.unshift(...batch.items);
        if (!this.#failing) {
          const err = new HistoryUnwritableError(msg.error.message, String(this.#opts.queueMax));
          this.#opts.log.warn(
            { code: err.code, sqlite: msg.error.code, queueMax: this.#opts.queueMax },
            err.message,
          );
        }
        this.#failing = true;
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = null;
          this.#send();
        }, this.#retryMs);
        this.#retryMs = Math.min(this.#retryMs * 2, this.#opts.retryMaxMs);
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
      this.#calls.set(id, { resolve, reject });
      this.#worker.postMessage({ type: 'call', id, method, arg } satisfies ToWorker);
    });
  }
}

/** Built, the worker is worker.js beside this file; run from source (tests, benchmarks, tsx), worker.ts. */
function spawnWorker(workerData: WorkerConfig): Worker {
  const here = new URL(import.meta.url);
  if (!here.pathname.endsWith('.ts')) return new Worker(new URL('./worker.js', here), { workerData });
  // Node 20's workers do not inherit tsx's loader: the worker starts through tsx's API instead.
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./worker.ts', here).href);
  const code = `import(${tsx}).then((tsx) => tsx.tsImport(${entry}, ${entry}))`;
  return new Worker(code, { eval: true, workerData });
}
