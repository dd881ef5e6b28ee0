// What one scale run measures over its window, from outside the processes: CPU and resident memory of each
// (/proc), the latency from a state's `at` to its receipt by a dashboard-like MQTT subscriber, the broker's
// deliveries to that subscriber per second, and how far the history database lags behind the clock.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { connectAsync } from 'mqtt';
import { cpuSeconds, rssMb } from './process.js';

export interface Measured {
  cpuPct: number;
  rssMb: number;
  latencyP99Ms: number;
  latencyP50Ms: number;
  deliveriesPerS: number;
  /** Median over the window of (now − the newest reading in history.db); null where no history runs. */
  historyLagMs: number | null;
  /** Lag over the window's last third minus its first third: near zero when ingest keeps up. */
  historyLagGrowthMs: number | null;
  perProcess: Array<{ role: string; cpuPct: number; rssMb: number }>;
}

export interface MeasureOptions {
  processes: Array<{ role: string; pid: number }>;
  /** An MQTT URL with a reading account's credentials. */
  subscribeUrl: string;
  baseTopic: string;
  historyDb: string | null;
  warmupMs: number;
  windowMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measure(opts: MeasureOptions): Promise<Measured> {
  const client = await connectAsync(opts.subscribeUrl, { clientId: `bench-scale-${process.pid}` });
  let counting = false;
  let deliveries = 0;
  const latencies: number[] = [];
  client.on('message', (topic, payload, packet) => {
    if (!counting || packet.retain) return;
    deliveries += 1;
    if (!topic.endsWith('/state')) return;
    const at = (JSON.parse(payload.toString('utf8')) as { at: number }).at;
    latencies.push(Date.now() - at);
  });
  await client.subscribeAsync(`${opts.baseTopic}/#`, { qos: 0 });
  try {
    await sleep(opts.warmupMs);
    const db =
      opts.historyDb !== null && existsSync(opts.historyDb)
        ? new Database(opts.historyDb, { readonly: true, fileMustExist: true })
        : null;
    const newest = db?.prepare<[], number | null>('SELECT max(t) FROM raw').pluck();
    const lags: number[] = [];
    const rss = new Map<number, number[]>(opts.processes.map((p) => [p.pid, []]));
    const cpu0 = new Map(opts.processes.map((p) => [p.pid, cpuSeconds(p.pid)]));
    const t0 = performance.now();
    counting = true;
    while (performance.now() - t0 < opts.windowMs) {
      await sleep(Math.min(1000, opts.windowMs / 5));
      for (const p of opts.processes) rss.get(p.pid)?.push(rssMb(p.pid));
      const t = newest?.get();
      if (t !== undefined && t !== null) lags.push(Date.now() - t);
    }
    counting = false;
    const seconds = (performance.now() - t0) / 1000;
    db?.close();
    const perProcess = opts.processes.map((p) => ({
      role: p.role,
      cpuPct: round(((cpuSeconds(p.pid) - (cpu0.get(p.pid) as number)) / seconds) * 100),
      // The median of the samples: one garbage collection's peak does not make the figure.
      rssMb: round(median(rss.get(p.pid) as number[])),
    }));
    if (latencies.length === 0) throw new Error('no state reached the subscriber during the window');
    const third = Math.max(1, Math.floor(lags.length / 3));
    return {
      cpuPct: round(perProcess.reduce((s, p) => s + p.cpuPct, 0)),
      rssMb: round(perProcess.reduce((s, p) => s + p.rssMb, 0)),
      latencyP99Ms: round(quantile(latencies, 0.99)),
      latencyP50Ms: round(quantile(latencies, 0.5)),
      deliveriesPerS: round(deliveries / seconds),
      historyLagMs: lags.length === 0 ? null : round(median(lags)),
      historyLagGrowthMs:
        lags.length < 3 ? null : round(mean(lags.slice(-third)) - mean(lags.slice(0, third))),
      perProcess,
    };
  } finally {
    await client.endAsync();
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}
const median = (values: number[]) => quantile(values, 0.5);
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const round = (v: number) => Math.round(v * 10) / 10;
