// Mutation check: `cobrew start` refuses a board set-up that cannot run (a real board at a simulated speed,
// two fermenters on one port) before opening anything, and the black-box journal keeps the refusal.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { JOURNAL_FILE } from '../../firmware-bridge/journal/journal-file.js';
import { cleanEnv, finished, spawnCobrew } from '../app/cli-helpers.js';
import { brewPiExamples, firstFermenter } from '../firmware-bridge/drivers/brewpi/doc-examples.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A rated BrewPi fermenter, as docs/boards.md configures one. */
const brewpi = firstFermenter(brewPiExamples('docs/boards.md')[0] as string);

async function start(fermenters: unknown[], speed: number) {
  const dir = mkdtempSync(join(tmpdir(), 'cobrew-hostile-start-'));
  dirs.push(dir);
  const config = join(dir, 'cobrew.yaml');
  writeFileSync(config, stringify({ fermenters }));
  const child = spawnCobrew(
    ['start', '--data-dir', dir, '--config', config, '--speed', String(speed), '--http-port', '0'],
    cleanEnv(),
  );
  // A start that is not refused keeps running: stopped after a short deadline, it fails the checks below.
  const deadline = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const run = await finished(child);
  clearTimeout(deadline);
  const journal = readFileSync(join(dir, JOURNAL_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; code?: string; message?: string });
  return { run, journal };
}

describe('cobrew start refuses a board set-up that cannot run', () => {
  it('a real board at a simulated speed other than 1', async () => {
    const { run, journal } = await start([brewpi], 60);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('COBREW_ERR_BOARD_SETUP');
    expect(run.stderr).toContain('sim.speed is 60');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(journal).toContainEqual(
      expect.objectContaining({
        kind: 'config-refused',
        code: 'COBREW_ERR_BOARD_SETUP',
        message: expect.stringContaining('sim.speed is 60'),
      }),
    );
  });

  it('two fermenters on one port', async () => {
    const second = { ...brewpi, id: `${String(brewpi.id)}-2`, name: 'Second' };
    const { run, journal } = await start([brewpi, second], 1);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('COBREW_ERR_BOARD_SETUP');
    expect(run.stderr).toContain('one board drives one fermenter');
    expect(journal).toContainEqual(
      expect.objectContaining({
        kind: 'config-refused',
        code: 'COBREW_ERR_BOARD_SETUP',
        message: expect.stringContaining('is already the board of'),
      }),
    );
  });
});
