// `cobrew state show|reset` on a control.db written by a fermenter, as a person runs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ManualClock } from '../../../common/clock.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../../firmware-bridge/sim/sim-board.js';
import { openControlState } from '../../../firmware-bridge/state/sqlite-store.js';
import { cleanEnv, runCobrew } from '../../app/cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cobrew-state-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cobrew state', () => {
  it('shows what a fermenter resumes with, resets it to cobrew.yaml, and names an unknown fermenter', async () => {
    const store = openControlState(dir);
    const clock = new ManualClock(Date.UTC(2026, 2, 1));
    const config = checkFermenterConfig({ id: 'ale', name: 'Ale', board: { type: 'sim' } });
    const ale = new Fermenter(config, new SimBoard(config.board, clock), clock, {
      memory: store.forFermenter('ale'),
    });
    ale.setBeerSetpoint(16.5, 'mqtt set command');
    store.close();
    const env = cleanEnv();
    const shown = await runCobrew(['state', 'show', '--data-dir', dir], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(parse(shown.stdout)).toMatchObject([
      {
        fermenter: 'ale',
        intent: { mode: 'beer', beerSetpointC: 16.5, changedBy: 'mqtt set command' },
        latched: [],
      },
    ]);
    const unknown = await runCobrew(['state', 'reset', 'stout', '--data-dir', dir], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('COBREW_ERR_STATE_UNKNOWN_FERMENTER');
    expect(unknown.stderr).toContain('stored: ale');
    const reset = await runCobrew(['state', 'reset', 'ale', '--data-dir', dir], env);
    expect(reset.stdout).toContain("starts from cobrew.yaml's control values");
    const reopened = openControlState(dir);
    expect(reopened.forFermenter('ale').load().intent).toBeNull();
    reopened.close();
  }, 60_000);
});
