// A board profile shared in the commons carries its ratings: a space that imports it and names it in
// cobrew.yaml (board.custom.fromCommons) gets the same rating checks from `cobrew config check` as the
// author, so a heater the shared SSR cannot carry is refused even though the reference board would take it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { sharedProfileProblems } from '../../firmware-bridge/boards/shared-profile.js';
import { exportBundle } from '../../recipes/commons/bundle.js';
import { alice, makeStore, SMALL_SSR } from '../recipes/commons/helpers.js';
import { cleanEnv, finished, spawnCobrew } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cobrew-shared-profile-'));
let versionId: string;

beforeAll(async () => {
  // Atelier A shares its board; the bundle goes to this space through `cobrew commons import`.
  const a = makeStore({ space: { name: 'Atelier A' }, checkBoardProfile: sharedProfileProblems });
  const hw = a.store.hardware.create(
    { kind: 'board-profile', title: 'Small SSR board', document: SMALL_SSR },
    alice,
  );
  versionId = hw.versions[0]?.id as string;
  const bundle = join(dir, 'a.json');
  writeFileSync(bundle, JSON.stringify(exportBundle(a.store)));
  a.store.close();
  writeFileSync(join(dir, 'cobrew.yaml'), stringify({ commons: { library: false } }));
  const imported = await finished(spawnCobrew(['commons', 'import', bundle, '--data-dir', dir], cleanEnv()));
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, heatW: number, custom: Record<string, unknown>): string {
  const file = join(dir, name);
  const fermenter = {
    id: 'ale',
    name: 'Ale',
    board: { type: 'cobrew', port: '/dev/ttyACM0', mainsV: 230, profile: 'custom', custom },
    outputs: { heat: { loadW: heatW }, cool: { loadW: 150 } },
  };
  writeFileSync(file, stringify({ fermenters: [fermenter], commons: { library: false } }));
  return file;
}

const check = (file: string) =>
  finished(spawnCobrew(['config', 'check', file, '--data-dir', dir], cleanEnv()));

describe('a board profile from the commons', () => {
  it('refuses a heater its shared ratings cannot carry, which the reference board would take', async () => {
    const out = await check(configFile('hot.yaml', 2000, { fromCommons: versionId }));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('COBREW_ERR_BOARD_RATING');
    expect(out.stderr).toContain('ale: outputs.heat.loadW: 2000 W at 230 V is 8.7 A');
    expect(out.stderr).toContain(
      'ssr1 (SSR on D7: zero-cross SSR 10 A, heat sink for 5 A) carries 5.0 A continuously',
    );
    expect(out.stdout).toBe('');
  });

  it('passes what fits, showing the shared ratings in place', async () => {
    const out = await check(configFile('ok.yaml', 800, { fromCommons: versionId }));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`fromCommons: ${versionId}`);
    expect(out.stdout).toContain('cPerW: 5');
  });

  it('refuses local changes on top of it, and a version that is not here', async () => {
    const mixed = await check(configFile('mixed.yaml', 800, { fromCommons: versionId, heaterCutOut: false }));
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(
      'fermenters[0].board.custom.fromCommons: the shared profile declares the ratings',
    );
    const missing = await check(
      configFile('missing.yaml', 800, { fromCommons: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no board profile version 00000000-0000-4000-8000-000000000000');
  });
});
