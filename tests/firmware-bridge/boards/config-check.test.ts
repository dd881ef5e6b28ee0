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

  it('refuses a bare SSR, a coil straight on a pin and a heat lamp on a relay module, naming key, rating and fix', async () => {
    const file = join(dir, 'modified.yaml');
    const custom = {
      channels: {
        ssr1: {
          type: 'ssr',
          pin: 'D7',
          part: 'zero-cross SSR 25 A, no heat sink',
          ratedA: 25,
          maxVac: 380,
          dropV: 1.5,
          maxCaseC: 80,
          caseToAirCPerW: 12,
          heatSink: 'none',
          ambientC: 40,
          surgeA: 250,
        },
        relay1: {
          type: 'relay',
          pin: 'D8',
          part: '5 V relay wired straight to the pin',
          coilMA: 72,
          coilDrive: 'pin',
          resistiveA: 10,
          maxVac: 250,
          motor: null,
        },
      },
    };
    const fermenter = {
      id: 'ale',
      name: 'Ale',
      board: { type: 'cobrew', port: '/dev/ttyACM0', mainsV: 230, profile: 'custom', custom },
      outputs: { heat: { loadW: 600 }, cool: { loadW: 100, kind: 'lamp' } },
    };
    writeFileSync(file, stringify({ fermenters: [fermenter] }));
    const out = await finished(spawnCobrew(['config', 'check', file, '--data-dir', dir], cleanEnv()));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('COBREW_ERR_BOARD_RATING');
    expect(out.stderr).toContain('ale: outputs.heat.loadW: 600 W at 230 V is 2.6 A');
    expect(out.stderr).toContain('carries 2.2 A continuously (no heat sink');
    expect(out.stderr).toContain('Fix: use a heater of at most 511 W, fit a heat sink of at most 10.2 °C/W');
    expect(out.stderr).toContain('ale: board.custom.channels.relay1.coilDrive: the custom board');
    expect(out.stderr).toContain('coil draws 72 mA straight from pin D8, which gives 20 mA');
    expect(out.stderr).toContain('ale: outputs.cool.kind: a lamp that draws 6.5 A at switch-on');
    expect(out.stderr).toContain('has no inrush or motor rating');
  });
});
