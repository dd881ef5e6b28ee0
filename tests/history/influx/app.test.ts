// `cobrew start` with an `influx:` section, end to end: the simulated fermenters' readings reach a real
// VictoriaMetrics, and those taken while it was down are on disk after a stop and sent by the next run.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { QUEUE_FILE_NAME } from '../../../history/influx/protocol.js';
import { cleanEnv, finished, spawnCobrew } from '../../app/cli-helpers.js';
import { waitFor } from '../../broker/helpers.js';
import { eventually } from '../../helpers/eventually.js';
import { useRig } from './mirror-rig.js';
import type { Victoria } from './victoria.js';

const rig = useRig();

/** Runs cobrew until `until` holds, then stops it with SIGTERM; resolves with what it logged. */
async function runCobrewUntil(dataDir: string, until: (stderr: string) => Promise<boolean>): Promise<string> {
  const child = spawnCobrew(
    ['start', '--data-dir', dataDir, '--http-port', '0', '--mqtt-port', '0', '--ws-port', '0'],
    cleanEnv(),
  );
  const exit = finished(child);
  try {
    await waitFor(() => exit.stdout().includes('cobrew is running'), 'cobrew to start', 30_000);
    await eventually(() => until(exit.stderr()), 'cobrew to get there', 20_000);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  const done = await exit;
  expect(done.code, done.stderr).toBe(0);
  return done.stderr;
}

/** beerC of fermenter ale, as time → value, from the queue file or from the server. */
function queuedBeer(file: string): Map<number, number> {
  const beer = new Map<number, number>();
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT line FROM queue').all() as { line: string }[];
    for (const { line } of rows) {
      const m = /^fermenter,fermenter=ale,space=atelier .*\bbeerC=([^, ]+).* (\d+)$/.exec(line);
      if (m !== null) beer.set(Number(m[2]), Number(m[1]));
    }
    return beer;
  } finally {
    db.close();
  }
}

async function storedBeer(vm: Victoria): Promise<Map<number, number>> {
  const [series] = await vm.exportSeries('{__name__="fermenter_beerC", fermenter="ale", space="atelier"}');
  return new Map(series?.timestamps.map((t, i) => [t, series.values[i] as number]) ?? []);
}

describe('cobrew start with influx:', () => {
  it('mirrors the fermenters, and sends what a run could not deliver at the next start', async () => {
    const vm = await rig.victoria({ started: false });
    const dataDir = await rig.dataDir();
    await writeFile(
      join(dataDir, 'cobrew.yaml'),
      `influx: { url: "${vm.url}", token: t, org: o, bucket: b, space: atelier, retryMinMs: 100, retryMaxMs: 500 }\n`,
    );

    // First run: the server is down. Readings pile up in the queue; stopping keeps them on disk.
    const queueFile = join(dataDir, QUEUE_FILE_NAME);
    const firstLog = await runCobrewUntil(
      dataDir,
      // Once the mirror says the server is down, its queue is open: safe to read beside it.
      async (stderr) => stderr.includes('COBREW_ERR_INFLUX_UNAVAILABLE') && queuedBeer(queueFile).size >= 3,
    );
    expect(firstLog).toContain('COBREW_ERR_INFLUX_UNAVAILABLE');
    const queued = queuedBeer(queueFile);
    expect(queued.size).toBeGreaterThanOrEqual(3);

    // Second run: the server is back. The old readings arrive, and the new ones follow.
    await vm.start();
    const secondLog = await runCobrewUntil(dataDir, async () => {
      const stored = await storedBeer(vm);
      return [...queued.keys()].every((t) => stored.has(t)) && stored.size > queued.size;
    });
    expect(secondLog).toContain('readings queued before the last stop; sending them');
    const stored = await storedBeer(vm);
    for (const [t, v] of queued) expect(stored.get(t)).toBe(v);
    const lager = await vm.exportSeries('{__name__="fermenter_beerC", fermenter="lager", space="atelier"}');
    expect(lager).toHaveLength(1);
  });
});
