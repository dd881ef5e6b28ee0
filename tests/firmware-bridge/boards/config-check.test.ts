// `cobrew config check [file]` runs the same board checks as start: a refusal names the rating and the fix
// and exits non-zero; a set-up that fits passes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cleanEnv, finished, spawnCobrew } from '../../app/cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cobrew-config-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, heatW: number): string {
  const file = join(dir, name);
  const fermenter = {
    id: 'ale',
    name: 'Ale',
    board: { type: 'cobrew', port: '/dev/ttyACM0', mainsV: 230 },
    outputs: { heat: { loadW: heatW }, cool: { loadW: 150 } },
  };
  writeFileSync(file, stringify({ fermenters: [fermenter] }));
  return file;
}

describe('cobrew config check', () => {
  it('refuses a 2500 W heater on the reference SSR and exits non-zero', async () => {
    const file = configFile('hot.yaml', 2500);
    const out = await finished(spawnCobrew(['config', 'check', file, '--data-dir', dir], cleanEnv()));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('COBREW_ERR_BOARD_RATING');
    expect(out.stderr).toContain('ale: outputs.heat.loadW: 2500 W at 230 V is 10.9 A');
    expect(out.stdout).toBe('');
  });

  it('passes a set-up that fits and prints it with its defaults', async () => {
    const file = configFile('ok.yaml', 300);
    const out = await finished(spawnCobrew(['config', 'check', file, '--data-dir', dir], cleanEnv()));
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('profile: ref-uno-r1');
    expect(out.stdout).toContain('mainsV: 230');
  });
});
