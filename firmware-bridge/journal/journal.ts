// The black box wired to a running cobrew: a `start` line (configuration hash, changes since the previous
// start, boards), every refusal, incident (with the readings before it) and the readings after it, every
// board event, and `stop`. The file part is journal-file.ts; everything else here is plain bookkeeping.

import type { BoardLogEntry } from '../boards/session.js';
import type { CommandTarget, FermenterCommands } from '../commands.js';
import type { FermenterConfig } from '../config-schema.js';
import { configuredBoard } from '../fermenter.js';
import type { ResumeNote } from '../state/resume.js';
import type { FermenterState, Incident } from '../types.js';
import { ReadingsAfter } from './after-readings.js';
import { configChanges, configHash } from './config-digest.js';
import type { JournalEntry } from './entries.js';
import { type JournalFile, openJournalFile, readJournal } from './journal-file.js';

export interface Journal {
  /** For the fleet's `onBoardLog`. */
  board(entry: BoardLogEntry): void;
  /** A configuration refused at start (ratings, set-up): recorded, then thrown by the caller. */
  refused(err: unknown, at: number): void;
  /** Follows a fermenter's incidents and states. */
  follow(source: {
    on(event: 'state', cb: (s: FermenterState) => void): void;
    on(event: 'incident', cb: (i: Incident) => void): void;
  }): void;
  /** How a fermenter started: its stored intent, or cobrew.yaml's and why. */
  resumed(fermenterId: string, note: ResumeNote, at: number): void;
  /** The same commands, each refusal (a bad value, a trip that persists) journalled before it is thrown on. */
  commands<T extends CommandTarget>(target: T): CommandTarget;
  stop(at: number): void;
}

export interface JournalOptions {
  dataDir: string;
  /** The whole configuration, its secrets already masked (the journal goes into support reports). */
  config: { readonly fermenters: readonly FermenterConfig[] };
  version: string;
  at: number;
  /** Time of refused commands; wall time by default. */
  now?: () => number;
  file?: JournalFile;
}

/** Opens the journal and records the start, with what changed in the configuration since the last one. */
export function startJournal(opts: JournalOptions): Journal {
  const previous = lastStart(opts.dataDir);
  const file = opts.file ?? openJournalFile(opts.dataDir);
  const config = opts.config;
  const write = (e: JournalEntry) => file.append(e);
  write({
    at: opts.at,
    kind: 'start',
    version: opts.version,
    configHash: configHash(config),
    config,
    changes: previous === null ? null : configChanges(previous.config, config),
    boards: config.fermenters.map((f) => ({ fermenterId: f.id, ...configuredBoard(f) })),
  });
  const after = new ReadingsAfter(write);
  return {
    board: write,
    refused(err, at) {
      const e = err as Error & { code?: string; refusals?: [] };
      write({
        at,
        kind: 'config-refused',
        code: e.code ?? 'COBREW_ERR_CONFIG_INVALID',
        message: e.message,
        ...(e.refusals === undefined ? {} : { refusals: e.refusals }),
      });
    },
    resumed(fermenterId, note, at) {
      write({ at, kind: 'control-resumed', fermenterId, ...note });
    },
    follow(source) {
      source.on('incident', (incident) => {
        write({ at: incident.at, kind: 'incident', incident });
        after.incident(incident);
      });
      source.on('state', (s) => after.state(s));
    },
    commands(target) {
      const journalled =
        <A extends unknown[], R>(command: keyof FermenterCommands, fn: (...args: A) => R) =>
        (...args: A): R => {
          try {
            return fn.apply(target, args);
          } catch (err) {
            const e = err as Error & { code?: string };
            write({
              at: opts.now?.() ?? Date.now(),
              kind: 'command-refused',
              fermenterId: target.id,
              command,
              code: e.code ?? 'COBREW_ERR_COMMAND',
              message: e.message,
            });
            throw err;
          }
        };
      return {
        id: target.id,
        setMode: journalled('setMode', target.setMode),
        setBeerSetpoint: journalled('setBeerSetpoint', target.setBeerSetpoint),
        setChamberSetpoint: journalled('setChamberSetpoint', target.setChamberSetpoint),
        startProfile: journalled('startProfile', target.startProfile),
        stopProfile: journalled('stopProfile', target.stopProfile),
        clearTrip: journalled('clearTrip', target.clearTrip),
        skipStep: journalled('skipStep', target.skipStep),
        holdStep: journalled('holdStep', target.holdStep),
        resumeStep: journalled('resumeStep', target.resumeStep),
        extendStep: journalled('extendStep', target.extendStep),
        replaceNextSteps: journalled('replaceNextSteps', target.replaceNextSteps),
      };
    },
    stop(at) {
      after.flush();
      write({ at, kind: 'stop' });
    },
  };
}

function lastStart(dataDir: string): Extract<JournalEntry, { kind: 'start' }> | null {
  const { entries } = readJournal(dataDir);
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e?.kind === 'start') return e;
  }
  return null;
}
