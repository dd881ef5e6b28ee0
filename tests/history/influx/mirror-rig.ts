// What the mirror tests share: settings with short waits, readings made up for a fermenter, and reading
// back what VictoriaMetrics stored as (fermenter, field, time, value) points.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { schemaChecker } from '../../../common/schema-check.js';
import { InfluxSchema, type InfluxSettings } from '../../../history/influx/config-schema.js';
import { type InfluxMirror, startInfluxMirror } from '../../../history/influx/start.js';
import type { HistoryReading } from '../../../history/reading.js';
import { eventually } from '../../helpers/eventually.js';
import { captureLog } from './log-capture.js';
import { startVictoria, type Victoria } from './victoria.js';

const checkInflux = schemaChecker(InfluxSchema, 'influx');
const DAY_AGO = Math.floor(Date.now() / 1000) * 1000 - 86_400_000;

/** The `influx:` section as cobrew.yaml would give it, with waits short enough for a test. */
export function influxSettings(url: string, extra: Partial<InfluxSettings> = {}): InfluxSettings {
  return checkInflux({
    url,
    token: 'a-write-token',
    org: 'cobrewing',
    bucket: 'brews',
    space: 'La Cuverie, Lyon',
    flushIntervalMs: 100,
    timeoutMs: 2000,
    retryMinMs: 50,
    retryMaxMs: 400,
    ...extra,
  });
}

/** Readings `first`… of one fermenter a second apart from a day ago: within the server's retention. */
export function readings(count: number, fermenterId = 'ale', first = 0): HistoryReading[] {
  return Array.from({ length: count }, (_, k) => {
    const i = first + k;
    return {
      fermenterId,
      at: DAY_AGO + i * 1000,
      fields: {
        // Exact decimals: the server keeps about 15 significant digits, not the last bit of a double.
        beerC: (18_000 + i) / 1000,
        chamberC: 16.25,
        heat: i % 2,
        cool: 1 - (i % 2),
        gravity: (105_000 - i) / 100_000,
      },
    };
  });
}

export interface Point {
  fermenter: string;
  field: string;
  at: number;
  value: number;
}

/** What readings become once stored, sorted like `stored()` returns them. */
export function pointsOf(rs: readonly HistoryReading[]): Point[] {
  return sortPoints(
    rs.flatMap((r) =>
      Object.entries(r.fields).map(([field, value]) => ({
        fermenter: r.fermenterId,
        field,
        at: r.at,
        value,
      })),
    ),
  );
}

function sortPoints(points: Point[]): Point[] {
  const key = (p: Point) => `${p.fermenter}\u0000${p.field}\u0000${String(p.at).padStart(16, '0')}`;
  return points.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.value - b.value));
}

/** Every point of measurement `fermenter` the server holds, duplicates included. */
export async function stored(vm: Victoria): Promise<Point[]> {
  const series = await vm.exportSeries('{__name__=~"fermenter_.+"}');
  return sortPoints(
    series.flatMap((s) =>
      s.timestamps.map((at, i) => ({
        fermenter: s.metric.fermenter ?? '?',
        field: (s.metric.__name__ ?? '?').slice('fermenter_'.length),
        at,
        value: s.values[i] ?? Number.NaN,
      })),
    ),
  );
}

/** Waits until the server holds at least `count` points (new series take a moment to show), then all. */
export async function storedAtLeast(vm: Victoria, count: number, timeoutMs = 15_000): Promise<Point[]> {
  return eventually(
    async () => {
      const points = await stored(vm);
      return points.length >= count && points;
    },
    `${count} points in VictoriaMetrics`,
    timeoutMs,
  );
}

/** A VictoriaMetrics, a data dir and a log per test, all stopped and removed after it. */
export function useRig() {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return {
    async victoria(opts: { started?: boolean } = {}): Promise<Victoria> {
      const vm = await startVictoria(opts);
      cleanups.push(() => vm.close());
      return vm;
    },
    async dataDir(): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), 'cobrew-influx-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    mirror(settings: InfluxSettings, dataDir: string) {
      const captured = captureLog();
      const mirror: InfluxMirror = startInfluxMirror({ settings, dataDir, log: captured.log });
      cleanups.push(() => mirror.close());
      return { mirror, ...captured };
    },
    defer(cleanup: () => Promise<void>): void {
      cleanups.push(cleanup);
    },
  };
}
