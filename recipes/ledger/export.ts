// Ledger export for anyone to audit: CSV (RFC 4180, one event a line, UTF-8) or JSON (the events as the
// API gives them, plus the rule table in force).
import type { LedgerEvent } from './ledger.js';
import type { Weights } from './rules.js';

export const LEDGER_CSV_COLUMNS = [
  'seq',
  'id',
  'at',
  'recorded_at',
  'contributor',
  'kind',
  'weight',
  'rule',
  'recipe_id',
  'version_id',
  'brewlog_id',
  'reference',
  'note',
  'space',
  'recorded_by',
  'pending',
  'confirmed_by',
] as const;

/**
 * Quotes a field when it must be (RFC 4180). A field a spreadsheet would run as a formula (starting with
 * = + - @ or a tab or carriage return) gets a leading apostrophe, the usual guard: the ledger holds
 * untrusted text.
 */
export function csvField(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function ledgerCsv(events: readonly LedgerEvent[]): string {
  const lines = [LEDGER_CSV_COLUMNS.join(',')];
  for (const e of events) {
    lines.push(
      [
        e.seq,
        e.id,
        new Date(e.at).toISOString(),
        new Date(e.recordedAt).toISOString(),
        e.contributor,
        e.kind,
        e.weight,
        e.rule.setting,
        e.recipeId,
        e.versionId,
        e.brewlogId,
        e.reference,
        e.note,
        e.space,
        e.recordedBy,
        e.pending ? 'yes' : 'no',
        e.confirmedBy,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export interface LedgerJson {
  format: 'cobrew-ledger';
  formatVersion: 1;
  exportedAt: string;
  space: string;
  weights: Weights;
  events: LedgerEvent[];
}

export function ledgerJson(
  events: readonly LedgerEvent[],
  meta: { space: string; weights: Weights; now: number },
): LedgerJson {
  return {
    format: 'cobrew-ledger',
    formatVersion: 1,
    exportedAt: new Date(meta.now).toISOString(),
    space: meta.space,
    weights: meta.weights,
    events: [...events],
  };
}
