// A small pino-compatible logger: fastify takes it as its loggerInstance and the broker code writes to it.
// Human-readable lines on a terminal, one JSON object per line (pino's shape) anywhere else.
import { format, inspect } from 'node:util';
import type { FastifyBaseLogger } from 'fastify';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
type Level = Exclude<LogLevel, 'silent'>;

const SEVERITY: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
/** The lowest severity a logger at `level` writes; silent (or anything unknown) writes nothing. */
const threshold = (level: string) =>
  Object.hasOwn(SEVERITY, level) ? SEVERITY[level as Level] : Number.POSITIVE_INFINITY;
const COLOUR: Record<Level, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[90m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[41m',
};

export interface LogSink {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so that command output on stdout stays clean. */
  sink?: LogSink;
  /** Human-readable lines; by default when the sink is a terminal. */
  pretty?: boolean;
}

export function createLogger(opts: LoggerOptions = {}): FastifyBaseLogger {
  const sink = opts.sink ?? process.stderr;
  const write = (opts.pretty ?? sink.isTTY === true) ? prettyLine(sink.isTTY === true) : jsonLine;
  return new SmallLogger((line) => sink.write(line), write, opts.level ?? 'info', {});
}

type Render = (level: Level, msg: string, fields: Record<string, unknown>) => string;

class SmallLogger implements FastifyBaseLogger {
  constructor(
    private readonly out: (line: string) => void,
    private readonly render: Render,
    public level: string,
    private readonly bindings: Record<string, unknown>,
  ) {}

  fatal = this.#method('fatal');
  error = this.#method('error');
  warn = this.#method('warn');
  info = this.#method('info');
  debug = this.#method('debug');
  trace = this.#method('trace');
  silent = () => {};

  child(bindings: Record<string, unknown>, options?: { level?: string }): FastifyBaseLogger {
    return new SmallLogger(this.out, this.render, options?.level ?? this.level, {
      ...this.bindings,
      ...bindings,
    });
  }

  #method(level: Level) {
    return (first: unknown, msg?: string, ...args: unknown[]): void => {
      if (SEVERITY[level] < threshold(this.level)) return;
      let fields: Record<string, unknown> = {};
      let text: string;
      if (typeof first === 'string') {
        text = format(first, ...(msg === undefined ? [] : [msg]), ...args);
      } else {
        if (first instanceof Error) fields = { err: first };
        else if (first !== null && typeof first === 'object') fields = { ...first };
        const err = fields.err;
        text = msg !== undefined ? format(msg, ...args) : err instanceof Error ? err.message : '';
      }
      this.out(this.render(level, text, { ...this.bindings, ...fields }));
    };
  }
}

function jsonLine(level: Level, msg: string, fields: Record<string, unknown>): string {
  const record = { level: SEVERITY[level], time: Date.now(), ...fields, msg };
  try {
    return `${JSON.stringify(record, (_k, v: unknown) => (v instanceof Error ? serializeError(v) : v))}\n`;
  } catch {
    return `${JSON.stringify({ level: record.level, time: record.time, msg, fields: inspect(fields) })}\n`;
  }
}

function serializeError(err: Error): Record<string, unknown> {
  return { type: err.name, message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
}

function prettyLine(colour: boolean): Render {
  return (level, msg, fields) => {
    const time = new Date().toTimeString().slice(0, 8);
    const tag = level.toUpperCase().padEnd(5);
    let line = `${time} ${colour ? `${COLOUR[level]}${tag}\x1b[0m` : tag} ${msg}`;
    let stack = '';
    for (const [key, value] of Object.entries(fields)) {
      if (value instanceof Error) {
        line += ` ${key}=${JSON.stringify(value.message)}`;
        if (SEVERITY[level] >= SEVERITY.error && value.stack) {
          stack += `\n    ${value.stack.replace(/\n/g, '\n    ')}`;
        }
      } else {
        line += ` ${key}=${typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : safeJson(value)}`;
      }
    }
    return `${line}${stack}\n`;
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return inspect(value, { depth: 1, breakLength: Number.POSITIVE_INFINITY });
  }
}
