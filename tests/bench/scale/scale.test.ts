// bench:scale in its quick form, from the sources: every run it prints has the documented shape, and its
// figures are measured numbers (a process that used no CPU, held no memory or delivered nothing fails).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../app/cli-helpers.js';

const run = promisify(execFile);

describe('npm run bench:scale -- --quick --json', () => {
  it('prints every run with real figures, the reference all-in-one at N = 4 among them', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'bench/scale.ts', '--quick', '--json', '--sizes', '2', '--from-source'],
      { cwd: ROOT, timeout: 280_000, maxBuffer: 1 << 20 },
    );
    const out = JSON.parse(stdout) as {
      runs: Array<Record<string, unknown>>;
      ratios: Record<string, number>;
    };
    const shapes = out.runs.map((r) => [r.topology, r.n]);
    expect(shapes).toEqual([
      ['all', 4],
      ['all', 2],
      ['bridge', 4],
      ['bridges+hub', 2],
    ]);
    for (const r of out.runs) {
      for (const key of ['cpuPct', 'rssMb', 'latencyP99Ms', 'deliveriesPerS', 'readyMs', 'firstStateMs']) {
        expect(Number.isFinite(r[key]), `${key} of ${r.topology} N=${r.n}`).toBe(true);
      }
      // A bridge alone idles at about 0.1 % of a core: in the quick 4 s window that is under one 10 ms
      // clock tick of /proc's CPU time, so it may read 0. Every run with a hub does more.
      if (r.topology === 'bridge') expect(r.cpuPct).toBeGreaterThanOrEqual(0);
      else expect(r.cpuPct).toBeGreaterThan(0);
      expect(r.rssMb).toBeGreaterThan(20);
      expect(r.deliveriesPerS).toBeGreaterThan(0);
      expect(r.latencyP99Ms).toBeGreaterThanOrEqual(r.latencyP50Ms as number);
      // A bridge alone keeps no history; every other run does, and its lag is a duration.
      if (r.topology === 'bridge') expect(r.historyLagMs).toBeNull();
      else expect(r.historyLagMs).toBeGreaterThan(0);
    }
    for (const v of Object.values(out.ratios)) expect(Number.isFinite(v) && v > 0).toBe(true);
  }, 300_000);
});
