// Findings 14 and 17: the support report quotes board and journal strings as plain text, and every file of
// the data directory that holds readings, recipes or the configuration is readable by its owner only.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeBackup } from '../../app/backup/archive.js';
import { openJournalFile } from '../../firmware-bridge/journal/journal-file.js';
import type { SupportReport } from '../../firmware-bridge/journal/report.js';
import { renderMarkdown } from '../../firmware-bridge/journal/report-markdown.js';
import { HistoryStore } from '../../history/store.js';
import { openRecipesDb } from '../../recipes/commons/db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'cobrew-hostile-'));
  dirs.push(d);
  return d;
};
const othersMay = (path: string) => statSync(path).mode & 0o077;

describe('the support report (finding 14)', () => {
  it('escapes what a board or the journal said', () => {
    const evil = 'x](http://evil.example/steal) <img src=x onerror=alert(1)> `code` | cell\n# Heading';
    const report: SupportReport = {
      generatedAt: '2026-01-01T00:00:00Z',
      cobrewVersion: '1.0.0',
      configFile: null,
      configHash: 'abc',
      verdict: 'modified',
      boards: [
        {
          fermenterId: 'ale',
          kind: 'cobrew',
          port: '/dev/ttyUSB0',
          profile: 'custom',
          modified: true,
          deviations: [evil],
          warnings: [evil],
          modifiedInJournal: false,
        } as SupportReport['boards'][number],
      ],
      firmware: [
        {
          fermenterId: 'ale',
          firmware: evil,
          version: evil,
          profile: evil,
          resetCause: evil,
          brownOutMv: null,
          warning: evil,
          seenAt: 0,
        },
      ],
      configDifferences: [],
      incidents: [
        {
          fermenterId: 'ale',
          id: 1,
          code: 'COBREW_ERR_PROBE_STALE',
          severity: 'trip',
          at: 0,
          message: evil,
          detail: { note: '`](x)' },
          outputs: { heat: false, cool: false },
          before: [],
          after: null,
        },
      ],
      boardEvents: [{ at: 0, kind: 'board-lost', fermenterId: 'ale', reason: evil } as never],
      otherEvents: [],
      journal: { files: [], entries: 1, skipped: 0, since: null },
    };
    const markdown = renderMarkdown(report);
    // Inside a code span nothing is markup; each must stay one span (no backtick got through).
    const text = markdown.replace(/`[^`\n]*`/g, '');
    expect(text).not.toContain('`');
    expect(text).not.toContain('](http');
    expect(text).not.toContain('<img');
    expect(text).not.toMatch(/^# Heading/m);
  });
});

describe('files of the data directory (finding 17)', () => {
  it('are owner-only: history, recipes, journal and backups', async () => {
    const dir = tempDir();
    const history = join(dir, 'history.db');
    new HistoryStore(history, { retentionMs: 86_400_000 }).close();
    const recipes = join(dir, 'recipes.db');
    openRecipesDb(recipes).close();
    const journal = openJournalFile(dir);
    journal.append({ at: 0, kind: 'start' } as never);
    const backup = join(dir, 'backup.cobrew');
    await writeBackup({ dataDir: dir, configFile: null, dest: backup, version: '0.1.0', now: 0 });
    for (const path of [history, recipes, journal.path, backup]) expect(othersMay(path), path).toBe(0);
  });
});
