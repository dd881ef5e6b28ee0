// `cobrew backup` from its own process while the history is being written, `cobrew restore`, and
// `cobrew export`.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readBackup } from '../../app/backup/archive.js';
import { silentLog } from '../../broker/log.js';
import { packageVersion } from '../../common/version.js';
import { HistoryService } from '../../history/service.js';
import { runCobrew } from '../app/cli-helpers.js';
import { rollupMismatches, stateItem, T0, tempDir } from './helpers.js';

const DAY = 86_400_000;
const start = (dataDir: string) =>
  HistoryService.start({
    path: join(dataDir, 'history.db'),
    retentionMs: 30 * DAY,
    queueMax: 1_000_000,
    log: silentLog,
  });

describe('cobrew backup, restore and export', () => {
  it('backs up a database being written, restores it, and exports CSV from it', async () => {
    const dataDir = tempDir();
    const elsewhere = tempDir();
    const backup = join(elsewhere, 'space.cobrew');
    const unpacked = join(elsewhere, 'history-copy.db');
    let service = await start(dataDir);
    let next = 0;
    const pump = setInterval(() => {
      service.write(Array.from({ length: 200 }, () => stateItem('ale', T0 + next++ * 1000)));
    }, 5);
    try {
      await new Promise((r) => setTimeout(r, 300));
      await service.flushed();
      const before = service.stats().acknowledged;
      const done = await runCobrew(['backup', backup, '--data-dir', dataDir]);
      expect(done.stderr).toContain(`Backed up history.db`);
      expect(done.code).toBe(0);
      expect(service.stats().acknowledged).toBeGreaterThan(before); // writes went on during the backup

      const entry = readBackup(backup, packageVersion()).entries.find((e) => e.name === 'history.db');
      writeFileSync(unpacked, entry?.bytes ?? '');
      const copy = new Database(unpacked, { readonly: true });
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.prepare('SELECT count(*) FROM raw').pluck().get()).toBeGreaterThanOrEqual(before);
      expect(rollupMismatches(copy)).toEqual([]);
      copy.close();
    } finally {
      clearInterval(pump);
    }
    const again = await runCobrew(['backup', backup, '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^COBREW_ERR_BACKUP: .*already exists/);

    // Restore as docs/history.md says: stop cobrew, `cobrew restore`, start it again.
    await service.close();
    const back = await runCobrew(['restore', backup, '--data-dir', dataDir]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toContain('What was there before is in');
    service = await start(dataDir);
    const restored = new Database(join(dataDir, 'history.db'), { readonly: true });
    const [count, newest] = restored.prepare('SELECT count(*), max(t) FROM raw').raw().get() as [
      number,
      number,
    ];
    restored.close();
    const answer = await service.history({
      fermenterId: 'ale',
      from: T0,
      to: newest,
      fields: ['beerC'],
      maxPoints: 10_000,
    });
    expect(answer.series.beerC?.max.length).toBeGreaterThan(0);
    service.write([stateItem('ale', newest + 1000)]);
    await service.flushed();
    await service.close();

    const csv = await runCobrew([
      'export',
      'ale',
      '--from',
      new Date(T0).toISOString(),
      '--to',
      String(newest),
      '--fields',
      'beerC,heat',
      '--data-dir',
      dataDir,
    ]);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('time,epoch_ms,beerC,heat');
    expect(lines).toHaveLength(count + 1);
    expect(lines[1]).toMatch(/^2026-01-01T00:00:00\.000Z,1767225600000,18,1$/);

    const unknown = await runCobrew(['export', 'stout', '--data-dir', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^COBREW_ERR_HISTORY_UNKNOWN_FERMENTER: No history for fermenter "stout"/);
  });
});
