// The brew history: what other code imports. In the app, `startHistory` runs the recorder and the store's
// worker; `HistoryQueries` is the typed, in-process way to ask the same questions as the HTTP routes.
import type { IClientOptions } from 'mqtt';
import type { BrokerLog } from '../broker/log.js';
import type { Clock } from '../common/clock.js';
import type { HistorySettings } from './config-schema.js';
import { DAY_MS, historyFile } from './files.js';
import type { HistoryQueries } from './queries.js';
import type { HistoryMirror } from './reading.js';
import { type Recorder, startRecorder } from './recorder.js';
import { HistoryService } from './service.js';

export type { HistorySettings } from './config-schema.js';
export { HistorySchema } from './config-schema.js';
export { DAY_MS, HISTORY_FILE_NAME, HISTORY_SPOOL_DIR_NAME, historyFile, historySpoolDir } from './files.js';
export type { Incident } from './ingest.js';
export type { HistoryQueries } from './queries.js';
export type {
  CsvQuery,
  HistoryAnswer,
  HistoryEvent,
  HistoryQuery,
  IncidentQuery,
  RangeQuery,
} from './reader.js';
export { HistoryReader } from './reader.js';
export { HISTORY_FIELDS, type HistoryField, type HistoryMirror, type HistoryReading } from './reading.js';
export { HistoryService, type HistoryStats } from './service.js';

export interface HistoryOptions {
  settings: HistorySettings;
  dataDir: string;
  url: string;
  baseTopic: string;
  /** The dashboard's MQTT account; the recorder reads every fermenter's topics. */
  clientOptions: IClientOptions;
  mirror?: HistoryMirror;
  log: BrokerLog;
  /** The fermenters' clock, which states' times are checked against. */
  clock?: Clock;
}

export interface RunningHistory {
  readonly queries: HistoryQueries;
  readonly service: HistoryService;
  /** Stops hearing MQTT, writes what is queued, closes the database and the mirror. */
  close(): Promise<void>;
}

/** How long a state waits in memory for others to share its transaction (history lag grows by as much). */
const GATHER_MS = 250;

export async function startHistory(opts: HistoryOptions): Promise<RunningHistory> {
  let service: HistoryService;
  try {
    service = await HistoryService.start({
      path: historyFile(opts.dataDir),
      retentionMs: opts.settings.retentionDays * DAY_MS,
      queueMax: opts.settings.queueMax,
      spoolMax: opts.settings.spoolMax,
      // Fermenters tick spread over each second: one transaction per quarter second rather than one per state.
      gatherMs: GATHER_MS,
      log: opts.log,
    });
  } catch (err) {
    await opts.mirror?.close();
    throw err;
  }
  let recorder: Recorder;
  try {
    recorder = await startRecorder({
      url: opts.url,
      baseTopic: opts.baseTopic,
      sink: service,
      ...(opts.mirror === undefined ? {} : { mirror: opts.mirror }),
      log: opts.log,
      clientOptions: opts.clientOptions,
      ...(opts.clock === undefined ? {} : { clock: opts.clock }),
    });
  } catch (err) {
    await Promise.all([service.close(), opts.mirror?.close()]);
    throw err;
  }
  return {
    queries: service,
    service,
    close: async () => {
      await recorder.close();
      await Promise.all([service.close(), opts.mirror?.close()]);
    },
  };
}
