// What the black-box journal holds: one JSON object per line of <data dir>/journal.jsonl, each with `at`
// (epoch ms) and `kind`. `cobrew board flash` and `cobrew board check` write their own `firmware-flash` and
// `board-check` lines to the same file.

import type { Refusal } from '../boards/rating.js';
import type { BoardLogEntry } from '../boards/session.js';
import type { BoardSummary, Incident, OutputName, Outputs } from '../types.js';

export interface Reading {
  at: number;
  beer: number | null;
  chamber: number | null;
  ambient: number | null;
  /** As applied after the incident; the readings before it are the raw ones the guard judged. */
  outputs?: Outputs;
}

export type JournalEntry =
  | {
      at: number;
      kind: 'start';
      version: string;
      /** sha256 of the effective configuration (secrets left out), first 16 hex digits. */
      configHash: string;
      /** The effective configuration, secrets left out: the next start's diff is made against it. */
      config: unknown;
      /** What changed since the previous start recorded in the journal; null on the first one. */
      changes: string[] | null;
      boards: Array<{ fermenterId: string } & BoardSummary>;
    }
  | { at: number; kind: 'stop' }
  | { at: number; kind: 'config-refused'; code: string; message: string; refusals?: Refusal[] }
  | {
      at: number;
      kind: 'command-refused';
      fermenterId: string;
      command: string;
      code: string;
      message: string;
    }
  | { at: number; kind: 'incident'; incident: Incident }
  /** At start: whether a fermenter took up its stored intent or cobrew.yaml's, and why. */
  | { at: number; kind: 'control-resumed'; fermenterId: string; from: 'stored' | 'config'; reason: string }
  | {
      at: number;
      kind: 'incident-after';
      fermenterId: string;
      incidentId: number;
      code: string;
      readings: Reading[];
    }
  | BoardLogEntry
  | { at: number; kind: 'firmware-flash'; [key: string]: unknown }
  | { at: number; kind: 'board-check'; port: string; output: OutputName; onAt: number; offAt: number };

export type JournalKind = JournalEntry['kind'];
