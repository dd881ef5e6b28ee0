// Messages between the history service (main thread) and the history worker, which owns the database.
import type { EncodedBatch } from './batch.js';
import type { IngestResult } from './store.js';

export interface WorkerConfig {
  path: string;
  retentionMs: number;
  busyTimeoutMs: number;
  /** How often the worker deletes raw rows past the retention. */
  purgeEveryMs: number;
  /** The spool (spool.ts): where batches the database refused wait, and how many items it holds at most. */
  spoolDir: string;
  spoolMax: number;
  /** Items per transaction when the spool is written back. */
  batchMax: number;
  /** First and longest delay before the spool is tried again. */
  retryMinMs: number;
  retryMaxMs: number;
  /** The fermenters' clock (common/clock.ts ScaledClock), rebuilt in the worker: retention is measured by it. */
  clock: { speed: number; origin: { realMs: number; simMs: number } };
}

/** A typed error as it crosses the thread boundary (its class does not). */
export interface WireError {
  code: string | undefined;
  message: string;
  statusCode: number | undefined;
}

export type CallMethod =
  | 'history'
  | 'events'
  | 'incidents'
  | 'fermenters'
  | 'csvOpen'
  | 'csvNext'
  | 'csvClose';

export type ToWorker =
  | { type: 'write'; seq: number; batch: EncodedBatch }
  | { type: 'call'; id: number; method: CallMethod; arg: unknown }
  | { type: 'close' };

// `spooled` counts the items waiting in the spool after the message's event.
export type FromWorker =
  | { type: 'ready'; spooled: number }
  | { type: 'fatal'; error: WireError }
  | { type: 'written'; seq: number; result: IngestResult }
  /** The batch is not in the database but on disk in the spool; `error` is why, when the database was tried. */
  | { type: 'spooled'; seq: number; spooled: number; dropped: number; error?: WireError }
  /** Neither the database nor the spool took the batch: it is the service's again (in memory). */
  | { type: 'write-failed'; seq: number; error?: WireError; spoolError: WireError }
  /** The spool was written back to the database, all of it, or up to `error`. */
  | {
      type: 'drained';
      replayed: number;
      skipped: number;
      result: IngestResult;
      spooled: number;
      error?: WireError;
    }
  | { type: 'reply'; id: number; value?: unknown; error?: WireError }
  | { type: 'purged'; removed: number }
  | { type: 'closed' };

export function toWire(err: unknown): WireError {
  const e = err as { code?: unknown; message?: unknown; statusCode?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : undefined,
    message: typeof e?.message === 'string' ? e.message : String(err),
    statusCode: typeof e?.statusCode === 'number' ? e.statusCode : undefined,
  };
}

/** Rebuilds an error fastify answers with its status code and `code` (contract A's error shape). */
export function fromWire(wire: WireError): Error & { code?: string; statusCode?: number } {
  const err = new Error(wire.message) as Error & { code?: string; statusCode?: number };
  if (wire.code !== undefined) err.code = wire.code;
  if (wire.statusCode !== undefined) err.statusCode = wire.statusCode;
  return err;
}
