// startInfluxMirror: what the recorder calls when cobrew.yaml has an `influx:` section. The mirror runs in
// a worker thread of its own; write() only posts the readings to it and returns.

import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { HistoryMirror, HistoryReading } from '../reading.js';
import { startSiblingWorker } from '../sibling-worker.js';
import type { InfluxSettings } from './config-schema.js';
import { InfluxMirrorStoppedError } from './errors.js';
import type { MirrorStatus } from './protocol.js';
import { type FromMirror, type MirrorWorkerData, QUEUE_FILE_NAME, type ToMirror } from './protocol.js';

export interface InfluxMirrorOptions {
  /** The `influx:` section of cobrew.yaml, defaults filled in. */
  settings: InfluxSettings;
  /** Where the queue file (influx-queue.db) lives. */
  dataDir: string;
  log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Longest silence in the log while readings are queued; a minute by default. */
  reportEveryMs?: number;
}

export interface InfluxMirror extends HistoryMirror {
  /** Readings waiting on disk, and whether the server is taken to be unavailable. */
  status(): Promise<MirrorStatus>;
}

/**
 * Starts the mirror. If its queue file cannot be opened, that is logged (COBREW_ERR_INFLUX_QUEUE_UNWRITABLE)
 * and the mirror does nothing: cobrew and its own history go on without it.
 */
export function startInfluxMirror(opts: InfluxMirrorOptions): InfluxMirror {
  const data: MirrorWorkerData = {
    settings: opts.settings,
    dataDir: opts.dataDir,
    ...(opts.reportEveryMs === undefined ? {} : { reportEveryMs: opts.reportEveryMs }),
  };
  const worker = startSiblingWorker(import.meta.url, 'worker', 'influx-worker', data);
  const asked = new Map<number, { resolve: (s: MirrorStatus) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  /** Once the worker has closed the mirror: how it was left; or why there is no answer any more. */
  let final: MirrorStatus | Error | null = null;
  let closing = false;
  let onClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  const finish = (status: MirrorStatus | Error) => {
    final = status;
    for (const answer of asked.values()) {
      if (status instanceof Error) answer.reject(status);
      else answer.resolve(status);
    }
    asked.clear();
    onClosed();
  };

  worker.on('message', (msg: FromMirror) => {
    if (msg.type === 'log') opts.log[msg.level](msg.fields, msg.msg);
    else if (msg.type === 'status') {
      asked.get(msg.id)?.resolve(msg.status);
      asked.delete(msg.id);
    } else if (msg.type === 'fatal') opts.log.error({ code: msg.code }, msg.message);
    else finish(msg.status);
  });
  worker.on('error', (err) => {
    const e = new InfluxMirrorStoppedError(err.message, join(opts.dataDir, QUEUE_FILE_NAME));
    opts.log.error({ code: e.code, err }, e.message);
  });
  // A worker that died without closing the mirror leaves its queue on disk for the next start.
  worker.once('exit', () => finish(final ?? new Error('the InfluxDB mirror stopped unexpectedly')));

  const post = (msg: ToMirror) => {
    if (final === null) worker.postMessage(msg);
  };
  return {
    write(readings: HistoryReading[]): void {
      if (closing) throw new Error('the InfluxDB mirror is closed; readings can no longer be written');
      post({ type: 'write', readings });
    },
    status: () => {
      if (final instanceof Error) return Promise.reject(final);
      if (final !== null) return Promise.resolve(final);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        asked.set(id, { resolve, reject });
        post({ type: 'status', id });
      });
    },
    async close(): Promise<void> {
      if (!closing) {
        closing = true;
        // The worker sends what it holds, waits for every batch in flight and closes the queue.
        post({ type: 'close' });
      }
      await closed;
      await worker.terminate();
    },
  };
}
