// cobrew logs through fastify's own logger, pino. Lines go to stderr so that command output on stdout stays
// clean: readable ones on a terminal, one JSON object per line anywhere else.
import { createRequire } from 'node:module';
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';
import type PinoPretty from 'pino-pretty';
import { SECRET_KEYS } from './config/secrets.js';

export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const satisfies readonly LevelWithSilent[];
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level?: LogLevel;
  /** Where JSON lines go instead of stderr (tests read them back from here). */
  destination?: DestinationStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      // No secret is meant to reach a log line; should one be passed by mistake, it is masked all the same.
      redact: { paths: [...SECRET_KEYS].flatMap((k) => [k, `*.${k}`]), censor: '********' },
    },
    opts.destination ?? stderr(),
  );
}

/** Synchronous, as before: a line logged just before `process.exit` is not lost. */
function stderr(): DestinationStream {
  if (!process.stderr.isTTY) return pino.destination({ fd: 2, sync: true });
  // Loaded for a terminal only: a service (its logs are JSON lines) is spared its 60 modules.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pretty({
    destination: 2,
    sync: true,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}
