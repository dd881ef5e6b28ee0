// The support report's content, from the configuration and the journal: pure, so the first lines a
// volunteer reads (reference or modified board, firmware, configuration differences) are tested as data.

import { brownOutWarning } from '../boards/brown-out.js';
import { identityDeviations } from '../boards/resolve.js';
import type { FermenterConfig } from '../config-schema.js';
import type { BoardIdentity } from '../drivers/driver.js';
import { configuredBoard } from '../fermenter.js';
import { checkFermenterConfig } from '../fermenter-config.js';
import type { Incident } from '../types.js';
import { configChanges, configHash } from './config-digest.js';
import type { JournalEntry, Reading } from './entries.js';

export interface BoardLine {
  fermenterId: string;
  kind: string;
  port: string | null;
  profile: string;
  modified: boolean;
  deviations: string[];
  /** A start recorded in the journal had this fermenter's board modified, even if it is not now. */
  modifiedInJournal: boolean;
  /** E.g. "no board failsafe: …" for a Firmata or BrewPi board. */
  warnings: string[];
}

export interface FirmwareLine {
  fermenterId: string;
  firmware: string;
  version: string;
  profile: string;
  resetCause: string | null;
  /** The board's brown-out level (mV, 0 disabled) and the warning when it is below 4.3 V. */
  brownOutMv: number | null;
  warning: string | null;
  seenAt: number;
}

export interface IncidentLine {
  fermenterId: string;
  id: number;
  code: string;
  severity: Incident['severity'];
  at: number;
  message: string;
  detail: Record<string, unknown> | null;
  outputs: Incident['context']['outputs'];
  before: Reading[];
  /** null when the journal ends before the readings after it were written (e.g. the power went). */
  after: Reading[] | null;
}

export interface SupportReport {
  generatedAt: string;
  cobrewVersion: string;
  configFile: string | null;
  configHash: string;
  /** reference: every real board is the reference design; modified: at least one is not; simulated: no real board. */
  /** `no-board-failsafe`: unmodified, but a board (Firmata, BrewPi) has no failsafe of its own. */
  verdict: 'reference' | 'modified' | 'no-board-failsafe' | 'simulated';
  boards: BoardLine[];
  firmware: FirmwareLine[];
  /** Every setting that differs from cobrew's defaults, by fermenter (null: the settings outside fermenters). */
  configDifferences: Array<{ fermenterId: string | null; changes: string[] }>;
  incidents: IncidentLine[];
  /** Board events (lost, failsafe, refused, reset…), oldest first. */
  boardEvents: JournalEntry[];
  /** Refused starts and commands, firmware flashes, board check pulses. */
  otherEvents: JournalEntry[];
  journal: { files: string[]; entries: number; skipped: number; since: number | null };
}

export interface ReportInput {
  /** The whole configuration, its secrets already masked. */
  config: { readonly fermenters: readonly FermenterConfig[] };
  /** The built-in defaults of the whole configuration. */
  defaults: Record<string, unknown>;
  configFile: string | null;
  version: string;
  now: number;
  journal: { entries: JournalEntry[]; skipped: number; files: string[] };
}

export function buildReport(input: ReportInput): SupportReport {
  const { config, journal } = input;
  const identities = latestIdentities(journal.entries);
  const everModified = new Set<string>();
  for (const e of journal.entries) {
    if (e.kind !== 'start') continue;
    for (const b of e.boards) if (b.modified) everModified.add(b.fermenterId);
  }
  const boards: BoardLine[] = config.fermenters.map((f) => {
    const b = configuredBoard(f);
    const extra =
      f.board.type === 'sim' ? [] : identityDeviations(f.board, identities.get(f.id)?.identity ?? null);
    return {
      fermenterId: f.id,
      kind: b.kind,
      port: f.board.type === 'sim' ? null : f.board.port,
      profile: b.profile,
      modified: b.modified || extra.length > 0,
      deviations: [...b.deviations, ...extra],
      modifiedInJournal: everModified.has(f.id),
      warnings: b.warnings ?? [],
    };
  });
  const real = boards.filter((b) => b.kind !== 'sim');
  const verdict: SupportReport['verdict'] =
    real.length === 0
      ? 'simulated'
      : real.some((b) => b.modified || b.modifiedInJournal)
        ? 'modified'
        : real.some((b) => noFailsafe(b))
          ? 'no-board-failsafe'
          : 'reference';
  const firmware = [...identities.entries()].map(([fermenterId, { identity, at }]) => ({
    fermenterId,
    firmware: identity.firmware,
    version: identity.version,
    profile: identity.profile,
    resetCause: identity.resetCause ?? null,
    brownOutMv: identity.brownOutMv ?? null,
    warning: brownOutWarning(identity),
    seenAt: at,
  }));
  return {
    generatedAt: new Date(input.now).toISOString(),
    cobrewVersion: input.version,
    configFile: input.configFile,
    configHash: configHash(config),
    verdict,
    boards,
    firmware,
    configDifferences: differencesFromDefaults(config, input.defaults),
    incidents: incidents(journal.entries),
    boardEvents: journal.entries.filter((e) => e.kind.startsWith('board-')),
    otherEvents: journal.entries.filter((e) =>
      ['config-refused', 'command-refused', 'firmware-flash', 'board-check'].includes(e.kind),
    ),
    journal: {
      files: journal.files,
      entries: journal.entries.length,
      skipped: journal.skipped,
      since: journal.entries[0]?.at ?? null,
    },
  };
}

const noFailsafe = (b: BoardLine) => b.warnings.some((w) => w.startsWith('no board failsafe'));

function latestIdentities(entries: JournalEntry[]): Map<string, { identity: BoardIdentity; at: number }> {
  const out = new Map<string, { identity: BoardIdentity; at: number }>();
  for (const e of entries) {
    const kinds = e.kind === 'board-identified' || e.kind === 'board-reconnected' || e.kind === 'board-reset';
    if (kinds && e.identity !== undefined) {
      out.set(e.fermenterId, { identity: e.identity, at: e.at });
    }
  }
  return out;
}

/** A fermenter compared with one of the same board kind and port that sets nothing else. */
function fermenterDefaults(f: FermenterConfig): FermenterConfig {
  const board =
    f.board.type === 'sim'
      ? { type: 'sim' }
      : { type: f.board.type, port: f.board.port, mainsV: f.board.mainsV };
  return checkFermenterConfig({ id: f.id, name: f.name, board });
}

function differencesFromDefaults(
  config: ReportInput['config'],
  defaults: Record<string, unknown>,
): SupportReport['configDifferences'] {
  const outside = configChanges({ ...defaults, fermenters: undefined }, { ...config, fermenters: undefined });
  return [
    { fermenterId: null, changes: outside },
    ...config.fermenters.map((f) => ({ fermenterId: f.id, changes: configChanges(fermenterDefaults(f), f) })),
  ];
}

/** Incidents with the readings after each; incident ids restart with each start, so pairs are made per run. */
function incidents(entries: JournalEntry[]): IncidentLine[] {
  const out: IncidentLine[] = [];
  let open = new Map<string, IncidentLine>();
  for (const e of entries) {
    if (e.kind === 'start') open = new Map();
    if (e.kind === 'incident') {
      const i = e.incident;
      const line: IncidentLine = {
        fermenterId: i.fermenterId,
        id: i.id,
        code: i.code,
        severity: i.severity,
        at: i.at,
        message: i.message,
        detail: i.context.detail ?? null,
        outputs: i.context.outputs,
        before: i.context.recent,
        after: null,
      };
      out.push(line);
      open.set(`${i.fermenterId}:${i.id}`, line);
    }
    if (e.kind === 'incident-after') {
      const line = open.get(`${e.fermenterId}:${e.incidentId}`);
      if (line !== undefined) line.after = e.readings;
    }
  }
  return out;
}
