// `cobrew support-report`: its first lines tell a volunteer in a minute whether the board was the reference
// design (and how it was modified), the firmware, the configuration's differences from the defaults and
// the incidents; then every incident with the readings before and after it, and a JSON twin.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cliContext } from '../../../app/cli/context.js';
import { ConfigSchema } from '../../../app/config/schema.js';
import { schemaChecker } from '../../../common/schema-check.js';
import type { FermenterConfig } from '../../../firmware-bridge/config-schema.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { writeSupportReport } from '../../../firmware-bridge/journal/cli.js';
import { type Journal, startJournal } from '../../../firmware-bridge/journal/journal.js';
import type { SupportReport } from '../../../firmware-bridge/journal/report.js';
import { fleetRig } from '../boards/fleet-rig.js';
import { MODULE_RELAY, realFermenter } from '../boards/helpers.js';
import type { EmulatorOptions } from '../drivers/line/board-emulator.js';
import { runToFailsafe, tempDirs } from './helpers.js';

const checkConfig = schemaChecker(ConfigSchema, 'config');
const tmp = tempDirs('cobrew-report-');

/** Runs a fleet on an emulated board with a journal, makes the board's failsafe act, and stops. */
async function history(
  dataDir: string,
  real: FermenterConfig,
  board: Partial<EmulatorOptions> = {},
): Promise<void> {
  let journal: Journal | undefined;
  const r = fleetRig({ real, board, onBoardLog: (e) => journal?.board(e) });
  const fermenter = { ...real, board: { ...real.board, port: r.path } } as FermenterConfig;
  const config = checkConfig({ fermenters: [] });
  config.fermenters = [fermenter];
  writeFileSync(join(dataDir, 'cobrew.yaml'), stringify({ fermenters: [fermenter] }));
  journal = startJournal({ dataDir, config, version: '0.1.0', at: r.clock.now() });
  for (const f of r.fleet.fermenters) journal.follow(f);
  await runToFailsafe(r);
  journal.stop(r.clock.now());
}

async function report(dataDir: string) {
  const out = join(dataDir, 'report.md');
  const written = await writeSupportReport(cliContext, { dataDir }, out, Date.UTC(2026, 5, 1));
  const md = readFileSync(written.markdown, 'utf8');
  const json = JSON.parse(readFileSync(written.json, 'utf8')) as SupportReport;
  return { lines: md.split('\n'), md, json, written };
}

describe('support report', () => {
  it('opens with MODIFIED and the deviations for a modified board, then firmware, configuration and incidents', async () => {
    const dataDir = tmp();
    await history(
      dataDir,
      realFermenter(
        {
          profile: 'custom',
          custom: {
            channels: {
              relay1: {
                ...MODULE_RELAY,
                pin: 'D8',
                resistiveA: 30,
                motor: { fullLoadA: 8, lockedRotorA: 48 },
              },
            },
          },
        },
        { heat: { loadW: 200 } },
      ),
    );
    const { lines, md, json, written } = await report(dataDir);
    expect(written.json).toBe(join(dataDir, 'report.json'));
    expect(lines[0]).toBe('# cobrew support report');
    expect(lines[2]).toMatch(
      /^- \*\*Board: MODIFIED\*\* — not the reference design: ale \(cobrew on \/dev\/ttyFLEET.*, profile custom\): /,
    );
    expect(lines[2]).toContain('channels.relay1.resistiveA: 16 → 30');
    expect(lines[3]).toMatch(
      /^- \*\*Firmware:\*\* ale: cobrew-ref 1\.0\.0 \(profile ref-uno-r1, last reset: power-on, seen 2026-/,
    );
    expect(lines[4]).toMatch(/^- \*\*Configuration vs defaults:\*\* \d+ differences: /);
    expect(lines[4]).toContain('fermenters[ale].board.profile: "ref-uno-r1" → "custom"');
    expect(lines[4]).toContain('fermenters[ale].outputs.heat.loadW: (not set) → 200');
    expect(lines[5]).toMatch(/^- \*\*Incidents:\*\* \d+ \(0 trips, \d+ alarms\) in the journal since /);

    // Every incident, with the readings before and after it.
    expect(md).toContain('COBREW_ERR_FORCED_SAFE (alarm)');
    expect(md).toContain("the board's own failsafe switched its outputs off (HB_TIMEOUT)");
    expect(md).toMatch(/\| before \| -\d+ s \| 20\.06 \| 18\.50 \| 21\.00 \|/);
    expect(md).toMatch(/\| after \| \d+ s \| 20\.06 \| 18\.50 \| 21\.00 \| off \|/);
    const failsafe = json.incidents.find((i) => i.message.includes('failsafe'));
    expect(failsafe?.before).toHaveLength(60);
    expect(failsafe?.after).toHaveLength(60);

    expect(json.verdict).toBe('modified');
    expect(json.boards[0]).toMatchObject({ fermenterId: 'ale', modified: true, profile: 'custom' });
    expect(json.firmware[0]).toMatchObject({ firmware: 'cobrew-ref', version: '1.0.0' });
    expect(json.boardEvents.map((e) => e.kind)).toContain('board-failsafe');
  });

  it('says REFERENCE design when every board is the reference, and remembers a board modified at an earlier start', async () => {
    const dataDir = tmp();
    await history(dataDir, realFermenter({}, { heat: { loadW: 200 } }));
    const { lines } = await report(dataDir);
    expect(lines[2]).toMatch(
      /^- \*\*Board: REFERENCE design\*\* \(ref-uno-r1\) — ale \(cobrew on \/dev\/ttyFLEET/,
    );

    // The same data directory after a start with a modified board: the verdict keeps it.
    const modified = checkConfig({ fermenters: [] });
    modified.fermenters = [realFermenter({ profile: 'custom', custom: { supply: { coilBudgetMA: 270 } } })];
    startJournal({ dataDir, config: modified, version: '0.1.0', at: Date.UTC(2026, 0, 2) });
    const again = await report(dataDir);
    expect(again.lines[2]).toContain('Board: MODIFIED');
    expect(again.lines[2]).toContain('reference now, but modified at an earlier start in the journal');
  });

  it("shows the board's brown-out level, with a warning below 4.3 V", async () => {
    const dataDir = tmp();
    await history(dataDir, realFermenter({}, { heat: { loadW: 200 } }), { helloTail: [300, 60, 300, 2700] });
    const { lines, json } = await report(dataDir);
    expect(lines[3]).toContain('brown-out detection 2.7 V');
    expect(lines[3]).toContain('WARNING: brown-out detection is set to 2.7 V, below 4.3 V');
    expect(json.firmware[0]).toMatchObject({ brownOutMv: 2700 });
  });

  it('says NO BOARD FAILSAFE for a Firmata board, and never calls it the reference design', async () => {
    const dataDir = tmp();
    const config = checkConfig({ fermenters: [] });
    const firmata = checkFermenterConfig({
      id: 'lager',
      name: 'Lager',
      board: { type: 'firmata', port: '/dev/ttyUSB0', mainsV: 230 },
      outputs: { heat: { loadW: 200 }, cool: { loadW: 150 } },
    });
    expect(firmata.board).toMatchObject({ profile: 'uno-no-failsafe' });
    config.fermenters = [firmata];
    writeFileSync(join(dataDir, 'cobrew.yaml'), stringify({ fermenters: [firmata] }));
    startJournal({ dataDir, config, version: '0.1.0', at: Date.UTC(2026, 0, 2) }).stop(Date.UTC(2026, 0, 2));
    const { lines, md, json } = await report(dataDir);
    expect(lines[2]).toMatch(
      /^- \*\*Board: NO BOARD FAILSAFE\*\* — not the reference design: lager \(firmata on \/dev\/ttyUSB0, profile uno-no-failsafe\): no board failsafe: /,
    );
    expect(md).not.toContain('REFERENCE');
    expect(json.verdict).toBe('no-board-failsafe');
  });

  it('says there is no board when only simulators run, and works without a journal', async () => {
    const dataDir = tmp();
    const { lines, json } = await report(dataDir);
    expect(lines[2]).toBe('- **Board: none** — every fermenter runs on the simulator.');
    expect(lines[3]).toBe('- **Firmware:** none (simulator).');
    expect(lines[5]).toBe('- **Incidents:** 0 (0 trips, 0 alarms) in the journal.');
    expect(json.journal).toEqual({ files: [], entries: 0, skipped: 0, since: null });
  });
});
