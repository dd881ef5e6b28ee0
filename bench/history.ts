// npm run bench:history [-- --json] [-- --days N] [-- --fermenters N] [-- --queries N] [-- --peer-runs N]
// Builds a 1 Hz history (default 21 days × 4 fermenters ≈ 7.3 M readings) in a temporary directory through
// the recorder's own path (HistoryService: a worker thread, batched transactions, rollups maintained at
// ingest), then asks for 1000-point views of several ranges, each answered by cobrew (rollups) and by a raw
// scan of the same rows giving the same answer (checked), on the same read connection, in the same run.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { silentLog } from '../broker/log.js';
import { bucketStart } from '../history/levels.js';
import { type HistoryAnswer, HistoryReader } from '../history/reader.js';
import { HistoryService } from '../history/service.js';
import { fermentationLog, START } from './history/data.js';
import { assertSameAnswer, rawScan, type ScanKind } from './history/raw-scan.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    days: { type: 'string', default: '21' },
    fermenters: { type: 'string', default: '4' },
    queries: { type: 'string', default: '100' },
    'peer-runs': { type: 'string', default: '5' },
    seed: { type: 'string', default: '1' },
  },
});
const positive = (name: string, v: string | boolean | undefined, whole = true): number => {
  const n = Number(v);
  if (!(n > 0) || (whole && !Number.isInteger(n))) {
    console.error(`--${name} must be a ${whole ? 'whole ' : ''}number above 0, not ${JSON.stringify(v)}`);
    process.exit(2);
  }
  return n;
};
const days = positive('days', values.days, false);
const fermenters = positive('fermenters', values.fermenters);
const queries = positive('queries', values.queries);
const peerRuns = positive('peer-runs', values['peer-runs']);
const seed = positive('seed', values.seed);
const MAX_POINTS = 1000;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const say = (line: string) => {
  if (!values.json) console.log(line);
};

const dir = mkdtempSync(join(tmpdir(), 'cobrew-bench-history-'));
const path = join(dir, 'history.db');
try {
  // 1. Ingest, through the same service the recorder writes to.
  const seconds = Math.round((days * DAY) / 1000);
  const service = await HistoryService.start({
    path,
    retentionMs: 30 * DAY,
    queueMax: 500_000,
    log: silentLog,
  });
  const log = fermentationLog(fermenters, seconds, seed);
  let written = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const pump = () => {
      // Keep the queue fed without letting it grow: as the recorder would under a steady stream.
      while (service.stats().queued < 50_000) {
        const batch = [];
        for (let i = 0; i < 5000; i++) {
          const next = log.next();
          if (next.done) break;
          batch.push(next.value);
        }
        if (batch.length === 0) return resolve();
        service.write(batch);
        written += batch.length;
      }
      setImmediate(pump);
    };
    pump();
  });
  await service.flushed();
  const ingestSeconds = (performance.now() - t0) / 1000;
  const { acknowledged } = service.stats();
  await service.close();
  if (acknowledged !== written) throw new Error(`wrote ${written} readings, ${acknowledged} acknowledged`);
  const ingestPerSec = written / ingestSeconds;
  say(
    `ingest: ${written.toLocaleString('en')} readings (${days} days × ${fermenters} fermenters at 1 Hz) in ` +
      `${ingestSeconds.toFixed(1)} s = ${Math.round(ingestPerSec).toLocaleString('en')} readings/s, rollups ` +
      `included; database ${(statSync(path).size / 1e6).toFixed(0)} MB`,
  );

  // 2. Queries: 1000 points of every field, windows at random places, on one read-only connection.
  const db = new Database(path, { readonly: true });
  const reader = new HistoryReader(db, { retentionMs: 30 * DAY });
  const span = seconds * 1000;
  const ranges = [HOUR, 6 * HOUR, DAY, 7 * DAY, 21 * DAY]
    .map((ms) => Math.min(ms, span))
    .filter((ms, i, all) => all.indexOf(ms) === i);
  const ids = reader.fermenters();
  const fIds = new Map(
    (db.prepare('SELECT name, id FROM fermenters').raw().all() as Array<[string, number]>).map(([n, i]) => [
      n,
      i,
    ]),
  );
  let state = seed;
  const rand = () => {
    state = (state * 48_271) % 2_147_483_647;
    return state / 2_147_483_647;
  };
  const window = (rangeMs: number) => {
    const to = START + rangeMs - 1000 + Math.floor(((span - rangeMs) / 1000) * rand()) * 1000;
    return { fermenterId: ids[Math.floor(rand() * ids.length)] as string, from: to - rangeMs + 1000, to };
  };
  const scanOf = (q: { fermenterId: string }, answer: HistoryAnswer) => {
    const w = answer.bucketMs as number;
    return {
      f: fIds.get(q.fermenterId) as number,
      lo: bucketStart(answer.from, w),
      hi: bucketStart(answer.to, w) + w - 1,
      bucketMs: w,
      fields: answer.fields,
    };
  };
  const time = <T>(fn: () => T): [T, number] => {
    const s = performance.now();
    const out = fn();
    return [out, performance.now() - s];
  };

  // The peer is the faster of its two forms, chosen on a mid-size range.
  const probeRange = ranges[Math.min(2, ranges.length - 1)] as number;
  const probeTimes: Record<ScanKind, number[]> = { sql: [], js: [] };
  for (let i = 0; i < 3; i++) {
    const q = window(probeRange);
    const answer = reader.history({ ...q, maxPoints: MAX_POINTS });
    if (answer.bucketMs === null) break;
    for (const kind of ['sql', 'js'] as const)
      probeTimes[kind].push(time(() => rawScan(db, kind, scanOf(q, answer)))[1]);
  }
  const peer: ScanKind = median(probeTimes.js) < median(probeTimes.sql) ? 'js' : 'sql';

  const rows: string[][] = [];
  const all: number[] = [];
  const allPeer: number[] = [];
  for (const rangeMs of ranges) {
    const ours: number[] = [];
    const theirs: number[] = [];
    let level = '';
    let points = 0;
    for (let i = 0; i < queries; i++) {
      const q = window(rangeMs);
      const [answer, ms] = time(() => reader.history({ ...q, maxPoints: MAX_POINTS }));
      ours.push(ms);
      level = answer.level;
      points = answer.t.length;
      if (i < peerRuns && answer.bucketMs !== null) {
        const [scanned, peerMs] = time(() => rawScan(db, peer, scanOf(q, answer)));
        theirs.push(peerMs);
        assertSameAnswer(answer, scanned, `${label(rangeMs)} ${q.fermenterId}`);
      }
    }
    all.push(...ours);
    allPeer.push(...theirs);
    rows.push([
      label(rangeMs),
      level,
      String(points),
      fmt(pct(ours, 50)),
      fmt(pct(ours, 99)),
      theirs.length === 0 ? '–' : fmt(pct(theirs, 50)),
      theirs.length === 0 ? '–' : fmt(pct(theirs, 99)),
      theirs.length === 0 ? '–' : `${(pct(theirs, 99) / pct(ours, 99)).toFixed(0)}×`,
    ]);
  }
  db.close();

  const figures = {
    ingestPerSec: Math.round(ingestPerSec),
    queryP50Ms: round2(pct(all, 50)),
    queryP99Ms: round2(pct(all, 99)),
    rawScanP99Ms: round2(pct(allPeer, 99)),
  };
  if (values.json) {
    console.log(JSON.stringify(figures));
  } else {
    say(
      `\nqueries: ${MAX_POINTS} points of all 9 fields, ${queries} windows per range (raw scan: ${peerRuns}, ${peer === 'sql' ? 'GROUP BY in SQLite' : 'bucketed in JavaScript'}, the faster form here), ms`,
    );
    const head = ['range', 'level', 'points', 'p50', 'p99', 'raw p50', 'raw p99', 'raw/cobrew p99'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    for (const row of [head, ...rows]) console.log(row.map((c, i) => c.padStart(widths[i] ?? 0)).join('  '));
    say(
      `\nall ranges: p50 ${fmt(figures.queryP50Ms)} ms, p99 ${fmt(figures.queryP99Ms)} ms; raw scan p99 ` +
        `${fmt(figures.rawScanP99Ms)} ms (${(figures.rawScanP99Ms / figures.queryP99Ms).toFixed(0)}× cobrew)`,
    );
    say(
      `targets: ingest ≥ 50,000 readings/s: ${figures.ingestPerSec >= 50_000 ? 'met' : 'missed'} · ` +
        `query p99 ≤ 50 ms: ${figures.queryP99Ms <= 50 ? 'met' : 'missed'}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}
function median(xs: number[]): number {
  return xs.length === 0 ? Number.POSITIVE_INFINITY : pct(xs, 50);
}
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
function fmt(x: number): string {
  return x.toFixed(2);
}
function label(ms: number): string {
  return ms >= DAY ? `${ms / DAY} d` : ms >= HOUR ? `${ms / HOUR} h` : `${ms / 60_000} min`;
}
