// Messages between the history service (main thread) and the history worker, which owns the database.
import type { EncodedBatch } from './batch.js';
import type { IngestResult } from './store.js';

export interface WorkerConfig {
  path: string;
  retentionMs: number;
  busyTimeoutMs: number;
  /** How often the worker deletes raw rows past the retention. */
  purgeEveryMs: number;
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

export type FromWorker =
  | { type: 'ready' }
  | { type: 'fatal'; error: WireError }
  | { type: 'written'; seq: number; result: IngestResult }
  | { type: 'write-failed'; seq: number; error: WireError }
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
