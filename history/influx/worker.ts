// The mirror's worker thread: runs mirror.ts, whose queue writes to disk synchronously, away from the main
// thread (the control loop, MQTT and HTTP). Its log lines go to the main thread's logger.
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { InfluxQueueUnwritableError } from './errors.js';
import { type Mirror, type MirrorLog, openMirror } from './mirror.js';
import {
  type FromMirror,
  type LogLevel,
  type MirrorWorkerData,
  QUEUE_FILE_NAME,
  type ToMirror,
} from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('history/influx/worker.ts runs only as a worker thread');
const data = workerData as MirrorWorkerData;
const post = (msg: FromMirror) => port.postMessage(msg);

const forward =
  (level: LogLevel) =>
  (fields: unknown, msg?: string): void =>
    post({ type: 'log', level, fields: fields as Record<string, unknown>, msg: msg ?? '' });
const log = { info: forward('info'), warn: forward('warn'), error: forward('error') } as MirrorLog;

let mirror: Mirror | null = null;
try {
  mirror = openMirror({ ...data, log });
} catch (err) {
  const e = new InfluxQueueUnwritableError(
    'all',
    join(data.dataDir, QUEUE_FILE_NAME),
    (err as Error).message,
  );
  post({ type: 'fatal', code: e.code, message: e.message });
}

port.on('message', async (msg: ToMirror) => {
  if (msg.type === 'write') mirror?.write(msg.readings);
  else if (msg.type === 'status') {
    post({ type: 'status', id: msg.id, status: mirror?.status() ?? { backlog: 0, down: false } });
  } else {
    await mirror?.close();
    post({ type: 'closed', status: mirror?.status() ?? { backlog: 0, down: false } });
  }
});
