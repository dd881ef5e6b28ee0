// The project's logger writing JSON lines into an array, for tests that check what is said and how often.
import { createLogger } from '../../../app/log.js';

export interface LogRecord {
  level: number;
  msg: string;
  code?: string;
  [key: string]: unknown;
}

export function captureLog() {
  const records: LogRecord[] = [];
  const log = createLogger({
    level: 'debug',
    destination: { write: (line: string) => records.push(JSON.parse(line) as LogRecord) },
  });
  return { log, records, codes: () => records.flatMap((r) => (r.code === undefined ? [] : [r.code])) };
}
