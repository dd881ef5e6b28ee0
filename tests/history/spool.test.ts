// The history spool: what a locked or failing database refuses waits on disk, survives a restart of the
// recorder, stays within its bound, and is written back exactly once when the database can be written.
import { appendFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { startEmbeddedBroker } from '../../broker/embedded.js';
import { historySpoolDir } from '../../history/files.js';
import { startRecorder } from '../../history/recorder.js';
import { HistoryService, type HistoryServiceOptions } from '../../history/service.js';
import { HistorySpool, segmentName } from '../../history/spool.js';
import { checkSpoolItem } from '../../history/spool-check.js';
import type { IngestItem, IngestResult } from '../../history/store.js';
import { sampleState, useCleanup, waitFor } from '../broker/helpers.js';
import { lockInAnotherProcess, recordingLog, rollupMismatches, stateItem, T0, tempDir } from './helpers.js';

const DAY = 86_400_000;
const seconds = (id: string, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => stateItem(id, from + i * 1000));
const noResult: IngestResult = { stored: 0, duplicates: 0, tooOld: 0, incidents: 0, events: 0 };

const start = (dataDir: string, opts: Partial<HistoryServiceOptions> = {}) =>
  HistoryService.start({
    path: join(dataDir, 'history.db'),
    retentionMs: 30 * DAY,
    queueMax: 10_000,
    spoolMax: 10_000,
    busyTimeoutMs: 20,
    retryMinMs: 20,
    retryMaxMs: 100,
    log: recordingLog().log,
    ...opts,
  });

/** Everything the spool gives back, taken as committed. */
function drainAll(spool: HistorySpool): { items: IngestItem[]; skipped: number } {
  const items: IngestItem[] = [];
  const out = spool.drain(
    (chunk) => {
      items.push(...chunk);
      return noResult;
    },
    1000,
    checkSpoolItem,
  );
  expect(out.error).toBeUndefined();
  return { items, skipped: out.skipped };
}

describe('history spool', () => {
  const { cleanup } = useCleanup();

  it('keeps what a locked database refuses across a restart, and writes each reading once when it is free', async () => {
    // The default publish rate of a client is far below what this test sends.
    const b = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      limits: { publishesPerSecond: 100_000, publishBurst: 100_000 },
    });
    cleanup.push(() => b.close());
    const dataDir = tempDir();
    const path = join(dataDir, 'history.db');
    const { lines, log } = recordingLog();
    const pub = await connectAsync(b.url, { reconnectPeriod: 0 });
    cleanup.push(() => pub.endAsync());
    const publish = async (from: number, n: number) => {
      for (let i = from; i < from + n; i++) {
        const state = sampleState('ale', { at: T0 + i * 1000, beerC: 18 + (i % 50) / 100 });
        await pub.publishAsync('cobrew/fermenter/ale/state', JSON.stringify(state));
      }
    };
    const run = async () => {
      const service = await start(dataDir, { log });
      const recorder = await startRecorder({ url: b.url, baseTopic: 'cobrew', sink: service, log });
      return { service, stop: () => recorder.close().then(() => service.close()) };
    };

    const first = await run();
    await publish(0, 20);
    await waitFor(() => first.service.stats().acknowledged === 20, 'the first readings to be written');
    const lock = await lockInAnotherProcess(path);
    await publish(20, 300);
    await waitFor(() => first.service.stats().spooled === 300, 'the readings to be spooled');
    expect(first.service.stats()).toMatchObject({ queued: 0, inFlight: 0, acknowledged: 20, failing: true });
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.obj)).toEqual([
      expect.objectContaining({ code: 'COBREW_ERR_HISTORY_UNWRITABLE', sqlite: 'SQLITE_BUSY' }),
    ]);
    await first.stop();
    expect(readdirSync(historySpoolDir(dataDir)).length).toBeGreaterThan(0);

    // A new recorder while the lock is still held: the spool is kept, and new readings go behind it.
    const second = await run();
    expect(second.service.stats().spooled).toBe(300);
    await waitFor(() => second.service.stats().failing, 'the spool to be found unwritable at start');
    await publish(320, 300);
    await waitFor(() => second.service.stats().spooled === 600, 'the new readings to be spooled');
    expect(second.service.stats().acknowledged).toBe(0);

    await lock.release();
    await second.service.flushed();
    expect(second.service.stats()).toMatchObject({ spooled: 0, acknowledged: 600, failing: false });
    expect(lines.some((l) => l.level === 'info' && /can be written again/.test(l.msg))).toBe(true);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    await second.stop();
    expect(readdirSync(historySpoolDir(dataDir))).toEqual([]);

    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*), min(t), max(t) FROM raw').raw().get()).toEqual([
      620,
      T0,
      T0 + 619_000,
    ]);
    // Each second once, with its own value: nothing lost, nothing doubled, nothing shuffled.
    const beer = db.prepare('SELECT t, beerC FROM raw ORDER BY t').raw().all() as Array<[number, number]>;
    expect(beer.every(([t, v], i) => t === T0 + i * 1000 && v === 18 + (i % 50) / 100)).toBe(true);
    expect(rollupMismatches(db)).toEqual([]);
    // One event (the first mode), not one per replay.
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    db.close();
  });

  it('holds at most spoolMax readings, dropping the oldest a tenth at a time, and says so once', async () => {
    const dataDir = tempDir();
    const { lines, log } = recordingLog();
    const service = await start(dataDir, { log, spoolMax: 1000 });
    const other = new Database(join(dataDir, 'history.db'));
    other.exec('BEGIN EXCLUSIVE');
    service.write(seconds('ale', T0, 1));
    await waitFor(() => service.stats().spooled === 1, 'the first reading to be spooled');
    service.write(seconds('ale', T0 + 1000, 2499));
    await service.settled();
    // Each retry closes the segment being filled, so where segments end depends on when the retries came;
    // whole segments of at most a tenth go, so what stays is within a tenth below the bound.
    const full = service.stats();
    expect(full).toMatchObject({ dropped: 0, queued: 0 });
    expect(full.spooled + full.spoolDropped).toBe(2500);
    expect(full.spooled).toBeLessThanOrEqual(1000);
    expect(full.spooled).toBeGreaterThan(900);
    expect(readdirSync(historySpoolDir(dataDir)).length).toBeGreaterThanOrEqual(10);
    service.write(seconds('ale', T0 + 2_500_000, 1));
    await service.settled();
    const after = service.stats();
    expect(after.spooled + after.spoolDropped).toBe(2501);
    expect(after.spooled).toBeLessThanOrEqual(1000);
    expect(after.spooled).toBeGreaterThan(900);
    expect(lines.filter((l) => l.level === 'error').map((l) => l.obj)).toEqual([
      expect.objectContaining({ code: 'COBREW_ERR_HISTORY_SPOOL_FULL', spoolMax: 1000 }),
    ]);

    other.exec('COMMIT');
    await service.flushed();
    await service.close();
    other.close();
    // One reading a second from T0: the oldest went, the newest are all there.
    const db = new Database(join(dataDir, 'history.db'), { readonly: true });
    expect(db.prepare('SELECT count(*), min(t), max(t) FROM raw').raw().get()).toEqual([
      after.spooled,
      T0 + after.spoolDropped * 1000,
      T0 + 2_500_000,
    ]);
    expect(rollupMismatches(db)).toEqual([]);
    db.close();
  });

  it('skips a line a crash cut short, and writes the rest at the next start', async () => {
    const dataDir = tempDir();
    const dir = historySpoolDir(dataDir);
    const before = new HistorySpool(dir, 1000);
    before.append(seconds('ale', T0, 50));
    before.close();
    // The process died in the middle of its next append.
    appendFileSync(join(dir, segmentName(1)), '{"kind":"state","reading":{"fermenterId":"al');
    const after = new HistorySpool(dir, 1000);
    expect(after.size).toBe(50);
    // The next process appends to a segment of its own, not after the torn line.
    after.append(seconds('ale', T0 + 50_000, 10));
    after.close();
    expect(readdirSync(dir)).toEqual([segmentName(1), segmentName(2)]);

    const { lines, log } = recordingLog();
    const service = await start(dataDir, { log });
    await service.flushed();
    expect(service.stats()).toMatchObject({ spooled: 0, acknowledged: 60 });
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.obj)).toEqual([
      { code: 'COBREW_ERR_HISTORY_SPOOL_LINE', skipped: 1 },
    ]);
    await service.close();
    expect(readdirSync(dir)).toEqual([]);
    const db = new Database(join(dataDir, 'history.db'), { readonly: true });
    expect(db.prepare('SELECT count(*), min(t), max(t) FROM raw').raw().get()).toEqual([60, T0, T0 + 59_000]);
    db.close();
  });

  it('refuses to start when the spool cannot be read, rather than forget what it holds', async () => {
    const dataDir = tempDir();
    writeFileSync(historySpoolDir(dataDir), 'not a folder');
    await expect(start(dataDir)).rejects.toMatchObject({
      code: 'COBREW_ERR_HISTORY_SPOOL_OPEN',
      message: expect.stringContaining('history-spool'),
    });
  });

  it('gives back what it was given, in order, incidents included', () => {
    const spool = new HistorySpool(join(tempDir(), 'history-spool'), 1000);
    const incident: IngestItem = {
      kind: 'incident',
      incident: {
        id: 3,
        fermenterId: 'ale',
        code: 'COBREW_ERR_PROBE_STALE',
        severity: 'trip',
        at: T0 + 5000,
        message: 'The beer probe stopped answering; check its cable.',
        context: { recent: [], outputs: { heat: false, cool: false }, settings: { mode: 'beer' } },
      },
    };
    const items = [...seconds('ale', T0, 150), incident, stateItem('lager', T0, { profileStep: 2 })];
    spool.append(items.slice(0, 70));
    spool.append(items.slice(70));
    expect(spool.size).toBe(152);
    expect(drainAll(spool)).toEqual({ items, skipped: 0 });
    expect(spool.empty).toBe(true);
  });

  it('leaves nothing half-written when the disk is full, and appends again once there is room', () => {
    const dir = join(tempDir(), 'history-spool');
    mkdirSync(dir);
    const spool = new HistorySpool(dir, 1000);
    spool.append(seconds('ale', T0, 100)); // fills segment 1 (a tenth of the bound)
    // The next segment lands on a device that is always full.
    symlinkSync('/dev/full', join(dir, segmentName(2)));
    expect(() => spool.append(seconds('ale', T0 + 100_000, 5))).toThrow(
      expect.objectContaining({ code: 'ENOSPC' }),
    );
    expect(spool.size).toBe(100);
    spool.append(seconds('ale', T0 + 200_000, 5));
    expect(readdirSync(dir)).toEqual([segmentName(1), segmentName(3)]);
    const { items } = drainAll(spool);
    expect(items.map((i) => (i.kind === 'state' ? i.reading.at : 0))).toEqual([
      ...seconds('ale', T0, 100).map((i) => i.reading.at),
      ...seconds('ale', T0 + 200_000, 5).map((i) => i.reading.at),
    ]);
  });
});
