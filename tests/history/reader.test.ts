import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bucketStart } from '../../history/levels.js';
import { type HistoryAnswer, HistoryReader, parseTime } from '../../history/reader.js';
import { HISTORY_FIELDS } from '../../history/reading.js';
import { HistoryStore, type StateItem } from '../../history/store.js';
import { stateItem, T0, tempDir } from './helpers.js';

const DAY = 86_400_000;

/** Two days of one reading every 5 s for `ale` (with a gap), and a little for `lager`. */
function seeded() {
  const store = new HistoryStore(join(tempDir(), 'history.db'), { retentionMs: 30 * DAY });
  const items: StateItem[] = [];
  for (let t = T0; t < T0 + 2 * DAY; t += 5000) {
    if (t >= T0 + 10 * 3_600_000 && t < T0 + 12 * 3_600_000) continue; // two hours without states
    items.push(stateItem('ale', t));
  }
  for (let i = 0; i < items.length; i += 3000) store.ingest(items.slice(i, i + 3000));
  store.ingest([stateItem('lager', T0), stateItem('lager', T0 + 1000)]);
  return { store, items, reader: new HistoryReader(store.db, { retentionMs: 30 * DAY }) };
}

/** What the answer must be, computed straight from the readings. */
function expected(items: StateItem[], answer: HistoryAnswer) {
  const w = answer.bucketMs as number;
  const lo = bucketStart(answer.from, w);
  const hi = bucketStart(answer.to, w) + w - 1;
  const buckets = new Map<number, Record<string, number[]>>();
  for (const { reading } of items) {
    if (reading.at < lo || reading.at > hi) continue;
    const b = bucketStart(reading.at, w);
    const bucket = buckets.get(b) ?? {};
    for (const f of answer.fields) {
      const v = reading.fields[f];
      if (v !== undefined) bucket[f] = [...(bucket[f] ?? []), v];
    }
    buckets.set(b, bucket);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]);
}

function expectMatches(items: StateItem[], answer: HistoryAnswer) {
  const want = expected(items, answer);
  expect(answer.t).toEqual(want.map(([b]) => b));
  want.forEach(([, bucket], i) => {
    for (const f of answer.fields) {
      const values = bucket[f] ?? [];
      const s = answer.series[f];
      expect(s?.min[i]).toBe(values.length === 0 ? null : Math.min(...values));
      expect(s?.max[i]).toBe(values.length === 0 ? null : Math.max(...values));
      if (values.length === 0) expect(s?.mean[i]).toBeNull();
      else expect(s?.mean[i]).toBeCloseTo(values.reduce((a, v) => a + v, 0) / values.length, 9);
    }
  });
}

describe('history queries', () => {
  it('answers each range from the right level, at most maxPoints points, peaks kept', () => {
    const { store, items, reader } = seeded();
    const cases: Array<[number, number, number, string]> = [
      [T0 + 3_600_000, T0 + 3_600_000 + 20 * 60_000, 1000, 'raw'],
      [T0, T0 + 3_600_000, 2000, 'raw'],
      [T0, T0 + 3_600_000, 500, '10s'],
      [T0 + 5 * 3_600_000, T0 + 11 * 3_600_000, 1000, '10s'],
      [T0, T0 + DAY, 1000, '1m'],
      [T0, T0 + 2 * DAY, 500, '5m'],
      [T0 + 1234, T0 + 2 * DAY - 77, 100, '15m'],
      [T0, T0 + 2 * DAY, 24, '1h'],
    ];
    for (const [from, to, maxPoints, level] of cases) {
      const answer = reader.history({ fermenterId: 'ale', from, to, maxPoints });
      expect(answer.level, `${to - from} ms at ${maxPoints} points`).toBe(level);
      expect(answer.t.length).toBeLessThanOrEqual(maxPoints);
      if (answer.bucketMs === null) {
        const raw = items.filter((i) => i.reading.at >= from && i.reading.at <= to);
        expect(answer.t).toEqual(raw.map((i) => i.reading.at));
        expect(answer.series.beerC?.max).toEqual(raw.map((i) => i.reading.fields.beerC));
      } else {
        expect(answer.t.length).toBeGreaterThan(maxPoints / 3);
        expectMatches(items, answer);
      }
    }
    store.close();
  });

  it('defaults to the last 24 h of every field, and takes a subset of fields', () => {
    const { store, reader } = seeded();
    const all = reader.history({ fermenterId: 'ale' });
    expect(all.fields).toEqual([...HISTORY_FIELDS]);
    expect(all.to).toBe(T0 + 2 * DAY - 5000);
    expect(all.from).toBe(all.to - DAY);
    const some = reader.history({ fermenterId: 'ale', fields: ['heat', 'beerC'] });
    expect(Object.keys(some.series)).toEqual(['heat', 'beerC']);
    expect(some.series.heat?.mean.every((v) => v !== null && v >= 0 && v <= 1)).toBe(true);
    store.close();
  });

  it('refuses an unknown fermenter or field, and a range that ends before it starts', () => {
    const { store, reader } = seeded();
    expect(() => reader.history({ fermenterId: 'stout' })).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_HISTORY_UNKNOWN_FERMENTER', statusCode: 404 }),
    );
    expect(() => reader.history({ fermenterId: 'ale', fields: ['beerF'] })).toThrow(
      /Unknown history field "beerF"/,
    );
    expect(() => reader.history({ fermenterId: 'ale', from: T0 + 10, to: T0 })).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_HISTORY_RANGE' }),
    );
    store.close();
  });

  it('exports raw readings as CSV in chunks, empty cells for values a state did not have', () => {
    const { store, items, reader } = seeded();
    const from = T0 + 25_000;
    const to = T0 + 3_600_000;
    const chunks = [...reader.csv({ fermenterId: 'ale', from, to, fields: ['beerC', 'gravity'] }, 100)];
    expect(chunks.length).toBeGreaterThan(5);
    const lines = chunks.join('').trimEnd().split('\n');
    expect(lines[0]).toBe('time,epoch_ms,beerC,gravity');
    const rows = items.filter((i) => i.reading.at >= from && i.reading.at <= to);
    expect(lines.length - 1).toBe(rows.length);
    const first = rows[0] as StateItem;
    expect(lines[1]).toBe(
      `${new Date(first.reading.at).toISOString()},${first.reading.at},${first.reading.fields.beerC},${first.reading.fields.gravity}`,
    );
    expect(lines.some((l) => l.endsWith(','))).toBe(true); // a state without gravity
    store.close();
  });

  it('reads times as epoch milliseconds or ISO 8601', () => {
    expect(parseTime('1767225600000', '--from')).toBe(T0);
    expect(parseTime('2026-01-01T00:00:00Z', '--from')).toBe(T0);
    expect(parseTime('2026-01-01', '--from')).toBe(T0);
    expect(() => parseTime('yesterday', '--from')).toThrow(/--from "yesterday" is neither/);
  });
});
