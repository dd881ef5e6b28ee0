// Messages between the main thread (start.ts) and the mirror's worker (worker.ts).
import type { HistoryReading } from '../reading.js';
import type { InfluxSettings } from './config-schema.js';

export interface MirrorStatus {
  /** Readings waiting on disk. */
  backlog: number;
  /** Whether the server is taken to be unavailable. */
  down: boolean;
}

/** The queue's file in the data directory. */
export const QUEUE_FILE_NAME = 'influx-queue.db';

export interface MirrorWorkerData {
  settings: InfluxSettings;
  dataDir: string;
  reportEveryMs?: number;
}

export type ToMirror =
  | { type: 'write'; readings: HistoryReading[] }
  | { type: 'status'; id: number }
  | { type: 'close' };

export type LogLevel = 'info' | 'warn' | 'error';

export type FromMirror =
  | { type: 'log'; level: LogLevel; fields: Record<string, unknown>; msg: string }
  | { type: 'status'; id: number; status: MirrorStatus }
  /** The queue could not be opened: the mirror does not run. */
  | { type: 'fatal'; code: string; message: string }
  /** Everything is sent or on disk: how it was left. */
  | { type: 'closed'; status: MirrorStatus };
