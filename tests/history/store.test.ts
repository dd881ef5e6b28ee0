import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HistoryReader } from '../../history/reader.js';
import { HistoryStore, type IngestItem } from '../../history/store.js';
import { rollupMismatches, stateItem, T0, tempDir } from './helpers.js';

const DAY = 86_400_000;

function openStore(retentionDays = 30) {
  return new HistoryStore(join(tempDir(), 'history.db'), { retentionMs: retentionDays * DAY });
}

function seconds(fermenterId: string, from: number, count: number, stepMs = 1000): IngestItem[] {
  return Array.from({ length: count }, (_, i) => stateItem(fermenterId, from + i * stepMs));
}

describe('history store', () => {
  it('refuses a database written by a newer cobrew, naming the file and its schema', () => {
    const path = join(tempDir(), 'history.db');
    new HistoryStore(path, { retentionMs: DAY }).close();
    const raw = new Database(path);
    raw.pragma('user_version = 2');
    raw.close();
    expect(() => new HistoryStore(path, { retentionMs: DAY })).toThrow(
      expect.objectContaining({
        code: 'COBREW_ERR_HISTORY_TOO_NEW',
        message: expect.stringContaining(`${path} was written by a newer cobrew (schema 2)`),
      }),
    );
  });

  it('opens in WAL mode and keeps rollups equal to aggregates of the raw rows, over many batches', () => {
    const store = openStore();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    // Batches that split buckets at odd places, two fermenters interleaved.
    for (let b = 0; b < 20; b++) {
      store.ingest([...seconds('ale', T0 + b * 377_000, 377), ...seconds('lager', T0 + b * 377_000, 377)]);
    }
    expect(store.db.prepare('SELECT count(*) FROM raw').pluck().get()).toBe(2 * 20 * 377);
    expect(rollupMismatches(store.db)).toEqual([]);
    store.close();
  });

  it('ignores a reading seen twice, so rollups do not count it twice', () => {
    const store = openStore();
    const batch = seconds('ale', T0, 120);
    expect(store.ingest(batch)).toMatchObject({ stored: 120, duplicates: 0 });
    expect(store.ingest([...batch.slice(100), ...seconds('ale', T0 + 120_000, 10)])).toMatchObject({
      stored: 10,
      duplicates: 20,
    });
    expect(rollupMismatches(store.db)).toEqual([]);
    store.close();
  });

  it('writes nothing of a batch that fails, and the same batch succeeds afterwards', () => {
    const store = openStore();
    store.ingest(seconds('ale', T0, 10));
    const broken = [
      ...seconds('ale', T0 + 10_000, 10),
      { kind: 'state', reading: null } as unknown as IngestItem,
    ];
    expect(() => store.ingest(broken)).toThrow();
    expect(store.db.prepare('SELECT count(*) FROM raw').pluck().get()).toBe(10);
    expect(store.ingest(broken.slice(0, 10))).toMatchObject({ stored: 10 });
    expect(rollupMismatches(store.db)).toEqual([]);
    store.close();
  });

  it('purges raw rows past the retention, keeps rollups, and drops readings older than the horizon', () => {
    const store = openStore(1);
    store.ingest(seconds('ale', T0, 48 * 60, 60_000)); // two days, a reading a minute
    expect(store.purge()).toBe(24 * 60 - 1);
    const reader = new HistoryReader(store.db, { retentionMs: DAY });
    const oldest = store.db.prepare('SELECT min(t) FROM raw').pluck().get() as number;
    // The newest reading is at minute 2879: raw rows are kept from a day before it.
    expect(oldest).toBe(T0 + 2879 * 60_000 - DAY);
    expect(store.db.prepare('SELECT count(*) FROM rollup_1h').pluck().get()).toBe(48);
    expect(store.ingest([stateItem('ale', T0 + 5_000)])).toMatchObject({ stored: 0, tooOld: 1 });
    // The first day is still there, from the rollups.
    const answer = reader.history({ fermenterId: 'ale', from: T0, to: T0 + 2 * DAY - 1, maxPoints: 48 });
    expect(answer.level).toBe('1h');
    expect(answer.t).toHaveLength(48);
    expect(answer.series.beerC?.mean.every((v) => v !== null)).toBe(true);
    store.close();
  });

  it('records changes of mode, of the setpoint a person sets, and of the profile step', () => {
    const store = openStore();
    const at = (s: number) => T0 + s * 1000;
    const withSp = (s: number, sp: number, mode = 'beer', profileStep: number | null = null) => {
      const item = stateItem('ale', at(s), { mode, profileStep });
      item.reading.fields.beerSetpointC = sp;
      item.reading.fields.chamberSetpointC = 10 + s; // moves every tick: never an event in beer mode
      return item;
    };
    store.ingest([withSp(0, 18), withSp(1, 18), withSp(2, 19), withSp(3, 19)]);
    store.ingest([withSp(4, 19, 'profile', 0), withSp(5, 19.5, 'profile', 0), withSp(6, 20, 'profile', 1)]);
    // A reading arriving late does not make events out of the past.
    store.ingest([withSp(1, 25)]);
    const reader = new HistoryReader(store.db, { retentionMs: 30 * DAY });
    expect(reader.events({ fermenterId: 'ale' })).toEqual([
      { at: at(0), kind: 'mode', from: null, to: 'beer' },
      { at: at(2), kind: 'setpoint', field: 'beerSetpointC', from: 18, to: 19 },
      { at: at(4), kind: 'mode', from: 'beer', to: 'profile' },
      { at: at(4), kind: 'profile-step', from: null, to: 0 },
      { at: at(6), kind: 'profile-step', from: 0, to: 1 },
    ]);
    store.close();
    // The last state is remembered across a restart: no spurious event.
    const again = new HistoryStore(store.db.name, { retentionMs: 30 * DAY });
    expect(again.ingest([withSp(7, 20, 'profile', 1)]).events).toBe(0);
    again.close();
  });

  it('keeps an incident once even when MQTT delivers it twice', () => {
    const store = openStore();
    const incident = {
      id: 3,
      fermenterId: 'ale',
      code: 'COBREW_ERR_PROBE_STALE' as const,
      severity: 'trip' as const,
      at: T0 + 1000,
      message: 'The beer probe stopped answering; check its cable.',
      context: { recent: [], outputs: { heat: false, cool: false }, settings: {} },
    };
    expect(
      store.ingest([
        { kind: 'incident', incident },
        { kind: 'incident', incident },
      ]).incidents,
    ).toBe(1);
    const reader = new HistoryReader(store.db, { retentionMs: 30 * DAY });
    expect(reader.incidents()).toEqual([incident]);
    expect(reader.events({ fermenterId: 'ale' })).toEqual([
      {
        at: T0 + 1000,
        kind: 'incident',
        id: 3,
        code: incident.code,
        severity: 'trip',
        message: incident.message,
      },
    ]);
    store.close();
  });
});
