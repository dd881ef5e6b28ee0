// At a hundred fermenters the control state must not commit (and fsync) once per fermenter per second:
// their last readings share one commit a second, while a guard's memory is on disk the moment it is saved.
// That shared commit does not wait for the disk on the event loop: its log is flushed off it, just after.
import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { GuardMemory } from '../../../firmware-bridge/safety/guard.js';
import type { ControlStateStore } from '../../../firmware-bridge/state/control-state.js';
import { controlDbFile, openControlState } from '../../../firmware-bridge/state/sqlite-store.js';

const FERMENTERS = 100;
let dir: string;
let store: ControlStateStore | undefined;
let reader: Database.Database | undefined;

afterEach(() => {
  store?.close();
  reader?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What another connection (a restart after a power cut) finds on disk now. */
const onDisk = (kind: string) =>
  (reader as Database.Database)
    .prepare<[string], { fermenter: string; updated_at: number }>(
      'SELECT fermenter, updated_at FROM control_state WHERE kind = ?',
    )
    .all(kind);

describe('last readings of many fermenters', () => {
  it('go to disk together once a second, and a latched trip at once', () => {
    dir = mkdtempSync(join(tmpdir(), 'cobrew-seen-'));
    let wall = 1_000_000;
    store = openControlState(dir, { now: () => wall });
    reader = new Database(controlDbFile(dir), { readonly: true });
    const ids = Array.from({ length: FERMENTERS }, (_, i) => `f${i}`);
    const memories = ids.map((id) => (store as ControlStateStore).forFermenter(id));
    const tick = () => {
      for (const [i, m] of memories.entries()) m.saveSeen({ at: wall, beerC: 18 + i / 100, chamberC: 17 });
    };

    tick();
    // The first reading opens the second: kept alone; the 99 others wait for the shared commit.
    expect(onDisk('seen')).toHaveLength(1);
    for (let i = 0; i < 9; i++) {
      wall += 100;
      tick();
    }
    expect(onDisk('seen')).toHaveLength(1);

    const off = { on: false, onAt: 0, offAt: wall, ran: true };
    const latched: GuardMemory = { latches: [], outputs: { heat: off, cool: off }, nextIncidentId: 2 };
    memories[42]?.saveGuard(latched);
    expect(onDisk('guard').map((r) => r.fermenter)).toEqual(['f42']);

    wall += 100;
    tick();
    const seen = onDisk('seen');
    expect(seen).toHaveLength(FERMENTERS);
    // One commit: every row carries the same time.
    expect(new Set(seen.map((r) => r.updated_at))).toEqual(new Set([wall]));
  });

  it('flushes the log of a round of readings off the event loop, one flush at a time', () => {
    dir = mkdtempSync(join(tmpdir(), 'cobrew-seen-'));
    let wall = 1_000_000;
    const flushes: Array<{ path: string; done: (err: Error | null) => void }> = [];
    store = openControlState(dir, {
      now: () => wall,
      flushFile: (path, done) => flushes.push({ path, done }),
    });
    reader = new Database(controlDbFile(dir), { readonly: true });
    const memories = ['a', 'b'].map((id) => (store as ControlStateStore).forFermenter(id));
    const round = () => {
      for (const m of memories) m.saveSeen({ at: wall, beerC: 18, chamberC: 17 });
      wall += 1000;
    };

    round();
    // Committed (another connection reads it) while its flush is still under way.
    expect(onDisk('seen')).toHaveLength(1);
    expect(flushes.map((f) => f.path)).toEqual([`${controlDbFile(dir)}-wal`]);
    round();
    round();
    // Two more commits during the flush: one more flush once it ends, not two.
    expect(flushes).toHaveLength(1);
    flushes[0]?.done(null);
    expect(flushes).toHaveLength(2);
    flushes[1]?.done(null);
    expect(flushes).toHaveLength(2);
    expect(onDisk('seen')).toHaveLength(2);
  });

  it('fails the next reading when its log could not be flushed, as a failed commit would', () => {
    dir = mkdtempSync(join(tmpdir(), 'cobrew-seen-'));
    let wall = 1_000_000;
    const flushes: Array<(err: Error | null) => void> = [];
    store = openControlState(dir, { now: () => wall, flushFile: (_path, done) => flushes.push(done) });
    const m = store.forFermenter('a');
    m.saveSeen({ at: wall, beerC: 18, chamberC: 17 });
    flushes[0]?.(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    wall += 1000;
    expect(() => m.saveSeen({ at: wall, beerC: 18, chamberC: 17 })).toThrow(/EIO/);
    // Told once: the next reading is kept again.
    m.saveSeen({ at: wall, beerC: 18, chamberC: 17 });
    expect(flushes).toHaveLength(2);
  });

  it('flushes the log through one descriptor of its own, kept between flushes and let go on close', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cobrew-seen-'));
    const log = `${controlDbFile(dir)}-wal`;
    /** Descriptors of this process open on the log: SQLite's own and the flusher's. */
    const onLog = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === log;
        } catch {
          return false;
        }
      }).length;
    const settle = () => new Promise((r) => setTimeout(r, 100));
    let wall = 1_000_000;
    store = openControlState(dir, { now: () => wall });
    const m = store.forFermenter('a');
    m.saveSeen({ at: wall, beerC: 18, chamberC: 17 });
    await settle();
    expect(onLog()).toBe(2);
    for (let i = 0; i < 5; i++) {
      wall += 1000;
      m.saveSeen({ at: wall, beerC: 18, chamberC: 17 });
      await settle();
    }
    expect(onLog()).toBe(2);
    store.close();
    store = undefined;
    await settle();
    expect(onLog()).toBe(0);
    reader = new Database(controlDbFile(dir), { readonly: true });
    expect(onDisk('seen')).toHaveLength(1);
  });

  it('keeps the readings still waiting when it closes', () => {
    dir = mkdtempSync(join(tmpdir(), 'cobrew-seen-'));
    store = openControlState(dir, { now: () => 5_000 });
    for (const id of ['a', 'b', 'c']) store.forFermenter(id).saveSeen({ at: 1, beerC: 20, chamberC: 19 });
    store.close();
    store = undefined;
    reader = new Database(controlDbFile(dir), { readonly: true });
    expect(onDisk('seen').map((r) => r.fermenter)).toEqual(['a', 'b', 'c']);
  });
});
