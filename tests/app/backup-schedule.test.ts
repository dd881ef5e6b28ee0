// Scheduled backups: due at once when none is on disk, then the newest `keep` kept; a restart counts from
// the newest backup instead of starting over. A failure is told (the backup-failing alert), tried again after
// the retry wait rather than at once, and the recovery told too.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBackup } from '../../app/backup/archive.js';
import { startBackupSchedule } from '../../app/backup/schedule.js';
import { silentLog } from '../../broker/log.js';
import { eventually } from '../helpers/eventually.js';

const dataDir = mkdtempSync(join(tmpdir(), 'cobrew-schedule-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const log = silentLog as never;

describe('scheduled backups', () => {
  it('writes one when due and keeps the newest few', async () => {
    const dir = join(dataDir, 'backups');
    mkdirSync(dir);
    writeFileSync(join(dataDir, 'cobrew.yaml'), 'fermenters: []\n');
    const old = [
      'cobrew-20260101T000000Z.cobrew',
      'cobrew-20260102T000000Z.cobrew',
      'cobrew-20260103T000000Z.cobrew',
    ];
    for (const [i, f] of old.entries()) {
      writeFileSync(join(dir, f), 'old');
      utimesSync(join(dir, f), 1_767_225_600 + i * 86_400, 1_767_225_600 + i * 86_400);
    }
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    const settings = { everyH: 24, keep: 2 };
    const s = startBackupSchedule({
      settings,
      dataDir,
      configFile: join(dataDir, 'cobrew.yaml'),
      version: '0.1.0',
      log,
    });
    // Three old ones and the new one: the two oldest go once the new one is written.
    await eventually(async () => {
      const names = readdirSync(dir).filter((f) => f.endsWith('.cobrew'));
      return names.length === 2 && !names.includes(old[0] as string);
    }, 'the new backup and the pruning');
    await s.stop();
    const kept = readdirSync(dir).sort();
    expect(kept).toContain('notes.txt');
    expect(kept).toContain('cobrew-20260103T000000Z.cobrew');
    const fresh = kept.find((f) => f.startsWith('cobrew-2026') && !old.includes(f)) as string;
    expect(readBackup(join(dir, fresh), '0.1.0').entries.map((e) => e.name)).toEqual(['cobrew.yaml']);
    // Started again right after: the newest backup is recent, so nothing is written now.
    const again = startBackupSchedule({ settings, dataDir, configFile: null, version: '0.1.0', log });
    await new Promise((r) => setTimeout(r, 300));
    await again.stop();
    expect(readdirSync(dir).filter((f) => f.endsWith('.cobrew'))).toHaveLength(2);
  });

  it('tells a failed backup, waits before trying again, and tells the recovery', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cobrew-schedule-failing-'));
    try {
      // Not a database: SQLite's online backup of it fails.
      writeFileSync(join(dir, 'history.db'), 'not a database, not at all, and long enough to be read');
      const outcomes: Array<{ failure: string | null; at: number }> = [];
      const s = startBackupSchedule({
        settings: { everyH: 24, keep: 2 },
        dataDir: dir,
        configFile: null,
        version: '0.1.0',
        log,
        retryMs: 400,
        onOutcome: (failure) => outcomes.push({ failure, at: Date.now() }),
      });
      try {
        await eventually(async () => outcomes.length >= 1, 'the failed backup');
        expect(outcomes[0]?.failure).toMatch(/COBREW_ERR_BACKUP|not a database/);
        // Nothing on disk yet, so it is due at once; the retry wait keeps it from spinning.
        await new Promise((r) => setTimeout(r, 200));
        expect(outcomes).toHaveLength(1);
        rmSync(join(dir, 'history.db'));
        await eventually(async () => outcomes.length >= 2, 'the retried backup');
        expect(outcomes[1]?.failure).toBeNull();
        expect((outcomes[1]?.at ?? 0) - (outcomes[0]?.at ?? 0)).toBeGreaterThanOrEqual(390);
        expect(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.cobrew'))).toHaveLength(1);
      } finally {
        await s.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
