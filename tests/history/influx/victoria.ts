// A real VictoriaMetrics (Debian package `victoria-metrics`, which .ci/run installs): it takes InfluxDB's
// /api/v2/write, and its export API gives back exactly what it stored. On 127.0.0.1 and a free port, with a
// storage directory of its own; only the process started here is ever stopped, by its PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../helpers/mosquitto.js';

const BINARY = ['/usr/bin/victoria-metrics', '/usr/local/bin/victoria-metrics'].find((p) => existsSync(p));

/** One exported series: a field of one fermenter, e.g. fermenter_beerC{fermenter="ale",space="…"}. */
export interface Series {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

export interface Victoria {
  readonly url: string;
  /** Starts it (again) on the same port and storage: what it stored before is still there. */
  start(): Promise<void>;
  /** Stops it (SIGTERM, so that it keeps what it acknowledged) and waits until it is gone. */
  stop(): Promise<void>;
  /** Every series matching a selector, e.g. `{__name__=~"fermenter_.*"}`, sorted by name and labels. */
  exportSeries(match: string): Promise<Series[]>;
  /** Stops it if it runs and removes its storage. */
  close(): Promise<void>;
}

export async function startVictoria(opts: { started?: boolean } = {}): Promise<Victoria> {
  if (BINARY === undefined)
    throw new Error('victoria-metrics is not installed: apt-get install victoria-metrics');
  const binary = BINARY;
  const dir = await mkdtemp(join(tmpdir(), 'cobrew-victoria-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let log = '';

  const start = async () => {
    const proc = spawn(
      binary,
      [
        `-httpListenAddr=127.0.0.1:${port}`,
        `-storageDataPath=${dir}`,
        '-loggerLevel=ERROR',
        // Nothing of its own in the exports, and a retention that takes readings of today.
        '-selfScrapeInterval=0',
        '-retentionPeriod=1y',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child = proc;
    exited = once(proc, 'exit');
    proc.stderr?.on('data', (d: Buffer) => {
      log += d.toString('utf8');
    });
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > deadline) {
        throw new Error(`VictoriaMetrics did not start on port ${port}:\n${log}`);
      }
      const ok = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    process.kill(proc.pid as number, 'SIGTERM');
    await exited;
  };

  const exportSeries = async (match: string): Promise<Series[]> => {
    // Rows just written sit in memory for a moment before queries see them: make them visible now.
    await fetch(`${url}/internal/force_flush`);
    const res = await fetch(`${url}/api/v1/export?match[]=${encodeURIComponent(match)}`);
    if (!res.ok) throw new Error(`export failed: HTTP ${res.status} ${await res.text()}`);
    const series = (await res.text())
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Series);
    const key = (s: Series) => JSON.stringify(Object.entries(s.metric).sort());
    return series.sort((a, b) => key(a).localeCompare(key(b)));
  };

  if (opts.started !== false) {
    try {
      await start();
    } catch (err) {
      await stop();
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }
  return {
    url,
    start,
    stop,
    exportSeries,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
