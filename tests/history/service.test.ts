import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../broker/log.js';
import { HistoryService } from '../../history/service.js';
import { waitFor } from '../broker/helpers.js';
import { recordingLog, rollupMismatches, stateItem, T0, tempDir } from './helpers.js';

const DAY = 86_400_000;

async function startService(opts: Partial<Parameters<typeof HistoryService.start>[0]> = {}) {
  const path = join(tempDir(), 'history.db');
  const service = await HistoryService.start({
    path,
    retentionMs: 30 * DAY,
    queueMax: 10_000,
    busyTimeoutMs: 20,
    retryMinMs: 20,
    retryMaxMs: 100,
    log: silentLog,
    ...opts,
  });
  return { path, service };
}

const seconds = (id: string, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => stateItem(id, from + i * 1000));

describe('history service (worker thread)', () => {
  it('acknowledges readings once committed and answers queries from the worker', async () => {
    const acks: number[] = [];
    const { service } = await startService({ onAcknowledged: (n) => acks.push(n), batchMax: 1000 });
    service.write(seconds('ale', T0, 2500));
    await service.flushed();
    expect(acks.reduce((a, n) => a + n, 0)).toBe(2500);
    expect(Math.max(...acks)).toBeLessThanOrEqual(1000);
    expect(service.stats()).toMatchObject({ queued: 0, inFlight: 0, acknowledged: 2500, dropped: 0 });
    const answer = await service.history({
      fermenterId: 'ale',
      from: T0,
      to: T0 + 2_499_000,
      maxPoints: 100,
    });
    expect(answer.level).toBe('10s');
    await expect(service.history({ fermenterId: 'stout' })).rejects.toMatchObject({
      code: 'COBREW_ERR_HISTORY_UNKNOWN_FERMENTER',
      statusCode: 404,
    });
    const csv: string[] = [];
    for await (const chunk of await service.csv({ fermenterId: 'ale', from: T0, to: T0 + 2_499_000 }))
      csv.push(chunk);
    expect(csv.join('').trimEnd().split('\n')).toHaveLength(2501);
    await service.close();
    await expect(service.fermenters()).rejects.toMatchObject({ code: 'COBREW_ERR_HISTORY_UNAVAILABLE' });
  });

  it('gathers what is written within gatherMs into one transaction', async () => {
    const acks: number[] = [];
    const { service } = await startService({ onAcknowledged: (n) => acks.push(n), gatherMs: 200 });
    // States arriving one at a time, a few milliseconds apart, as spread ticks publish them.
    for (const item of seconds('ale', T0, 5)) {
      service.write([item]);
      await new Promise((r) => setTimeout(r, 5));
    }
    await service.flushed();
    expect(acks).toEqual([5]);
    await service.close();
  });

  it('spools readings while the database is locked, and writes them all when it is free', async () => {
    const { lines, log } = recordingLog();
    const { path, service } = await startService({ log });
    service.write(seconds('ale', T0, 10));
    await service.flushed();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE'); // another process holding the write lock
    service.write(seconds('ale', T0 + 10_000, 500));
    await waitFor(() => service.stats().spooled === 500, 'the readings to be spooled');
    expect(service.stats()).toMatchObject({ acknowledged: 10, queued: 0, failing: true });
    expect(lines.find((l) => l.level === 'warn')?.obj).toMatchObject({
      code: 'COBREW_ERR_HISTORY_UNWRITABLE',
      sqlite: 'SQLITE_BUSY',
    });
    service.write(seconds('ale', T0 + 510_000, 500)); // more arrive meanwhile
    other.exec('COMMIT');
    await service.flushed();
    expect(service.stats()).toMatchObject({ acknowledged: 1010, dropped: 0, failing: false });
    expect(lines.some((l) => l.level === 'info' && /can be written again/.test(l.msg))).toBe(true);
    await service.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM raw').pluck().get()).toBe(1010);
    expect(rollupMismatches(db)).toEqual([]);
    db.close();
    other.close();
  });

  it('keeps readings in memory when the spool cannot be written either, drops the oldest past the bound, and says so', async () => {
    const { lines, log } = recordingLog();
    const { path, service } = await startService({ log, queueMax: 100 });
    // A file where the spool's folder should be: every append fails, as on a full disk.
    writeFileSync(join(path, '..', 'history-spool'), '');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    service.write(seconds('ale', T0, 1));
    await waitFor(() => service.stats().failing, 'the write to fail');
    service.write(seconds('ale', T0 + 1000, 249));
    expect(service.stats()).toMatchObject({ queued: 100, dropped: 150, spooled: 0 });
    expect(lines.filter((l) => l.level === 'error').map((l) => l.obj.code)).toEqual([
      'COBREW_ERR_HISTORY_SPOOL_UNWRITABLE',
      'COBREW_ERR_HISTORY_QUEUE_FULL',
    ]);
    other.exec('COMMIT');
    await service.flushed();
    await service.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT min(t), max(t), count(*) FROM raw').raw().get()).toEqual([
      T0 + 150_000,
      T0 + 249_000,
      100,
    ]);
    db.close();
    other.close();
  });

  it('fails to start with a clear error when the database cannot be opened', async () => {
    await expect(
      HistoryService.start({
        path: join(tempDir(), 'no', 'such', 'dir', 'h.db'),
        retentionMs: DAY,
        queueMax: 100,
        log: silentLog,
      }),
    ).rejects.toMatchObject({ code: 'COBREW_ERR_HISTORY_OPEN' });
  });
});
