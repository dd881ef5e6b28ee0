// The InfluxDB mirror itself, run in a worker thread of its own (start.ts) so that the queue's disk writes
// never hold up the main thread. Every reading the recorder accepts also goes to InfluxDB, through the official
// client's WriteApi (batches of `batchSize`, at least every `flushIntervalMs`). A batch that fails is not
// retried from memory: `writeFailed` puts it in the disk queue, and from then on new readings join the queue
// behind it, so that nothing overtakes the backlog. A single loop sends the queue oldest first, a chunk at
// a time, waiting longer after each failure; once it is empty, readings go straight to the WriteApi again.
import { join } from 'node:path';
import { HttpError, InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../common/clock.js';
import type { HistoryMirror, HistoryReading } from '../reading.js';
import type { InfluxSettings } from './config-schema.js';
import { DiskQueue } from './disk-queue.js';
import {
  InfluxQueueUnwritableError,
  InfluxRefusedError,
  InfluxRejectedError,
  InfluxUnavailableError,
} from './errors.js';
import { readingToLine } from './line.js';
import { type Failure, OutageReport } from './outage.js';
import { type MirrorStatus, QUEUE_FILE_NAME } from './protocol.js';

/** Lines per request when sending the queue: about 850 kB before gzip, far below any server's limit. */
const QUEUE_CHUNK = 5000;

export interface MirrorOptions {
  /** The `influx:` section of cobrew.yaml, defaults filled in. */
  settings: InfluxSettings;
  /** Where the queue file lives. */
  dataDir: string;
  log: MirrorLog;
  /** Paces the log lines; wall time by default. */
  clock?: Clock;
  /** Longest silence in the log while readings are queued; a minute by default. */
  reportEveryMs?: number;
}

export type MirrorLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export interface Mirror extends HistoryMirror {
  status(): MirrorStatus;
}

/** Opens the queue (sending what a previous run left in it) and the WriteApi; throws if the queue cannot open. */
export function openMirror(opts: MirrorOptions): Mirror {
  const { settings, log } = opts;
  const queueFile = join(opts.dataDir, QUEUE_FILE_NAME);
  const queue = new DiskQueue(queueFile, settings.queueMaxReadings);
  const report = new OutageReport(opts.clock ?? { now: () => Date.now() }, log, {
    retryMinMs: settings.retryMinMs,
    retryMaxMs: settings.retryMaxMs,
    reportEveryMs: opts.reportEveryMs ?? 60_000,
    queueFile,
    queueMaxReadings: settings.queueMaxReadings,
  });
  const influx = new InfluxDB({ url: settings.url, token: settings.token, timeout: settings.timeoutMs });

  /** Which errors are worth another try, and what the log says of them. */
  const judge = (err: unknown): { retry: true; failure: Failure } | { retry: false; reason: string } => {
    const reason = describe(err);
    if (err instanceof HttpError) {
      const status = err.statusCode;
      if (status === 401 || status === 403 || status === 404) {
        return { retry: true, failure: new InfluxRefusedError(settings.url, reason, queueFile) };
      }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        return { retry: false, reason };
      }
    }
    return { retry: true, failure: new InfluxUnavailableError(settings.url, reason, queueFile) };
  };

  const enqueue = (lines: readonly string[]): void => {
    try {
      report.queued(queue.size + lines.length, queue.append(lines));
    } catch (err) {
      const e = new InfluxQueueUnwritableError(lines.length, queueFile, describe(err));
      log.error({ code: e.code }, e.message);
    }
  };

  // Lines handed to the WriteApi and not yet answered: its flush() and close() only wait for the batch
  // they send themselves, not for those it sent on its own when full or on its timer.
  let inFlight = 0;
  let onSettled: (() => void)[] = [];
  const settle = (count: number): void => {
    inFlight -= count;
    if (inFlight > 0) return;
    for (const resolve of onSettled) resolve();
    onSettled = [];
  };
  const settled = (): Promise<void> =>
    inFlight === 0 ? Promise.resolve() : new Promise((resolve) => onSettled.push(resolve));

  const live: WriteApi = influx.getWriteApi(settings.org, settings.bucket, 'ms', {
    batchSize: settings.batchSize,
    flushInterval: settings.flushIntervalMs,
    maxRetries: 0,
    writeSuccess: (lines) => settle(lines.length),
    // Returning a promise takes the batch away from the client's retries in memory: it goes to disk.
    writeFailed: (err, lines) => {
      enqueue(lines);
      const verdict = judge(err);
      if (verdict.retry) retryAt = Date.now() + report.failed(verdict.failure, queue.size);
      sendQueue();
      settle(lines.length);
      return Promise.resolve();
    },
  });
  // The queue is sent one awaited request at a time: nothing is sent on its own, a failure rejects flush().
  const backlog: WriteApi = influx.getWriteApi(settings.org, settings.bucket, 'ms', {
    batchSize: QUEUE_CHUNK + 1,
    flushInterval: 0,
    maxRetries: 0,
    writeFailed: (err) => Promise.reject(err),
  });

  let stopping = false;
  /** No try before this (wall time): a failure sets it, so that new readings do not hurry the next try. */
  let retryAt = 0;
  let sending: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  /** Starts the loop that empties the queue, unless it runs already. */
  function sendQueue(): void {
    if (sending !== null || stopping || queue.size === 0) return;
    sending = drain(Math.max(0, retryAt - Date.now())).finally(() => {
      sending = null;
    });
  }

  async function drain(firstWaitMs: number): Promise<void> {
    let waitMs = firstWaitMs;
    while (!stopping && queue.size > 0) {
      if (waitMs > 0) await pause(waitMs);
      if (stopping) return;
      const chunk = queue.peek(QUEUE_CHUNK);
      try {
        backlog.writeRecords(chunk.lines);
        await backlog.flush();
        queue.remove(chunk.lastId);
        report.delivered(chunk.lines.length, queue.size);
        waitMs = 0;
      } catch (err) {
        const verdict = judge(err);
        if (verdict.retry) {
          waitMs = report.failed(verdict.failure, queue.size);
          retryAt = Date.now() + waitMs;
        } else {
          queue.remove(chunk.lastId);
          const e = new InfluxRejectedError(settings.url, chunk.lines.length, verdict.reason);
          log.error({ code: e.code }, e.message);
          waitMs = 0;
        }
      }
    }
    if (queue.size === 0) report.caughtUp();
  }

  if (queue.size > 0) {
    report.resumed(queue.size);
    sendQueue();
  }

  let closed: Promise<void> | null = null;
  return {
    write(readings: HistoryReading[]): void {
      if (closed !== null)
        throw new Error('the InfluxDB mirror is closed; readings can no longer be written');
      const lines: string[] = [];
      for (const r of readings) {
        const line = readingToLine(r, settings.space);
        if (line !== undefined) lines.push(line);
      }
      if (lines.length === 0) return;
      if (queue.size > 0 || report.down) {
        enqueue(lines);
        sendQueue();
      } else {
        inFlight += lines.length;
        live.writeRecords(lines);
      }
    },

    close(): Promise<void> {
      closed ??= (async () => {
        // Sends what the WriteApi holds (a failure lands in the queue), then waits for every batch.
        await live.close();
        await settled();
        stopping = true;
        wake?.();
        await sending;
        await backlog.close();
        queue.close();
      })();
      return closed;
    },

    status: () => ({ backlog: queue.size, down: report.down }),
  };
}

/** One line about what went wrong, the server's own words included. */
function describe(err: unknown): string {
  if (err instanceof HttpError) {
    const body = (err.body ?? '').trim().slice(0, 300);
    return `HTTP ${err.statusCode}${body === '' ? '' : `: ${body}`}`;
  }
  return err instanceof Error ? err.message : String(err);
}
