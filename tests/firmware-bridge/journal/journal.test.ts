// The black box of a running fleet: starts with the configuration's hash and what changed since the last
// start, every incident with the readings before and after it, and every board event.
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../app/config/schema.js';
import { withoutSecrets } from '../../../app/config/secrets.js';
import { schemaChecker } from '../../../common/schema-check.js';
import { READINGS_AFTER, ReadingsAfter } from '../../../firmware-bridge/journal/after-readings.js';
import { configChanges, configHash } from '../../../firmware-bridge/journal/config-digest.js';
import type { JournalEntry } from '../../../firmware-bridge/journal/entries.js';
import { startJournal } from '../../../firmware-bridge/journal/journal.js';
import { readJournal } from '../../../firmware-bridge/journal/journal-file.js';
import type { FermenterState, Incident } from '../../../firmware-bridge/types.js';
import { fleetRig } from '../boards/fleet-rig.js';
import { realFermenter } from '../boards/helpers.js';
import { runToFailsafe, tempDirs } from './helpers.js';

const checkConfig = schemaChecker(ConfigSchema, 'config');
const tmp = tempDirs('cobrew-journal-');

describe('configuration digest', () => {
  it('hashes the effective configuration without its secrets, whatever the key order', () => {
    const a = withoutSecrets(checkConfig({ mqtt: { url: 'mqtt://b', username: 'u', password: 'one' } }));
    const b = withoutSecrets(checkConfig({ mqtt: { password: 'two', username: 'u', url: 'mqtt://b' } }));
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(configChanges(a, b)).toEqual([]);
  });

  it('says what changed in words, fermenters matched by id', () => {
    const a = checkConfig({});
    const b = checkConfig({});
    b.fermenters.reverse();
    const lager = b.fermenters.find((f) => f.id === 'lager');
    if (lager) lager.control.beerSetpointC = 11;
    b.http.port = 8081;
    expect(configChanges(a, b)).toEqual([
      'http.port: 8080 → 8081',
      'fermenters[lager].control.beerSetpointC: 10 → 11',
    ]);
  });
});

describe('readings after an incident', () => {
  it('hands over the states that follow, up to the count, and what there is on flush', () => {
    const out: JournalEntry[] = [];
    const after = new ReadingsAfter((e) => out.push(e), 3);
    const incident = { id: 7, fermenterId: 'ale', code: 'COBREW_ERR_X', at: 1000 } as unknown as Incident;
    const state = (at: number) =>
      ({
        id: 'ale',
        at,
        beerC: 18,
        chamberC: 17,
        ambientC: 20,
        outputs: { heat: false, cool: false },
      }) as FermenterState;
    after.state(state(500));
    after.incident(incident);
    for (const at of [1000, 2000, 3000, 4000]) after.state(state(at));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'incident-after', incidentId: 7, fermenterId: 'ale' });
    expect((out[0] as { readings: Array<{ at: number }> }).readings.map((r) => r.at)).toEqual([
      1000, 2000, 3000,
    ]);
    after.incident({ ...incident, id: 8, at: 5000 });
    after.state(state(5000));
    after.flush();
    expect(out).toHaveLength(2);
    expect(READINGS_AFTER).toBe(60);
  });
});

describe('journal of a running fleet', () => {
  it('records the start, board identity, the failsafe incident with readings before and after, and the stop', async () => {
    const dataDir = tmp();
    const real = realFermenter({}, { heat: { loadW: 200 } });
    const config = checkConfig({ fermenters: [] });
    config.fermenters = [real];
    const journal = startJournal({ dataDir, config, version: '0.1.0', at: 1 });
    const r = fleetRig({ real, onBoardLog: (e) => journal.board(e) });
    for (const f of r.fleet.fermenters) journal.follow(f);
    await runToFailsafe(r);
    journal.stop(r.clock.now());

    const { entries } = readJournal(dataDir);
    const kinds = entries.map((e) => e.kind);
    expect(kinds[0]).toBe('start');
    expect(kinds).toContain('board-identified');
    expect(kinds).toContain('board-failsafe');
    expect(kinds.at(-1)).toBe('stop');
    const failsafe = entries.find(
      (e): e is Extract<JournalEntry, { kind: 'incident' }> =>
        e.kind === 'incident' && e.incident.message.includes("board's own failsafe"),
    );
    expect(failsafe?.incident.context.recent.length).toBe(60);
    const after = entries.find(
      (e) => e.kind === 'incident-after' && e.incidentId === failsafe?.incident.id && e.fermenterId === 'ale',
    ) as Extract<JournalEntry, { kind: 'incident-after' }> | undefined;
    expect(after?.readings).toHaveLength(60);
    expect(after?.readings[0]?.at).toBeGreaterThanOrEqual(failsafe?.incident.at ?? 0);

    // A restart with a changed configuration says what changed.
    const changed = structuredClone(config);
    (changed.fermenters[0] as typeof real).outputs.heat.loadW = 250;
    startJournal({ dataDir, config: changed, version: '0.1.0', at: 2 });
    const again = readJournal(dataDir).entries.filter((e) => e.kind === 'start');
    expect(again).toHaveLength(2);
    expect(again[1]).toMatchObject({ changes: ['fermenters[ale].outputs.heat.loadW: 200 → 250'] });
    expect((again[1] as { configHash: string }).configHash).not.toBe(
      (again[0] as { configHash: string }).configHash,
    );
  });

  it('records refused commands with their code, and lets accepted ones through', () => {
    const dataDir = tmp();
    const config = checkConfig({});
    const journal = startJournal({ dataDir, config, version: '0.1.0', at: 1, now: () => 5 });
    const calls: number[] = [];
    const target = {
      id: 'ale',
      setMode: () => {},
      setBeerSetpoint: (c: number) => {
        if (c > 40)
          throw Object.assign(new Error('beerSetpointC: 99 is not allowed'), { code: 'COBREW_ERR_INVALID' });
        calls.push(c);
      },
      setChamberSetpoint: () => {},
      startProfile: () => {},
      stopProfile: () => {},
      clearTrip: () => [],
      skipStep: () => {},
      holdStep: () => {},
      resumeStep: () => {},
      extendStep: () => {},
      replaceNextSteps: () => {},
    };
    const wrapped = journal.commands(target);
    wrapped.setBeerSetpoint(18);
    expect(() => wrapped.setBeerSetpoint(99)).toThrow('beerSetpointC');
    expect(calls).toEqual([18]);
    expect(readJournal(dataDir).entries.at(-1)).toEqual({
      at: 5,
      kind: 'command-refused',
      fermenterId: 'ale',
      command: 'setBeerSetpoint',
      code: 'COBREW_ERR_INVALID',
      message: 'beerSetpointC: 99 is not allowed',
    });
  });
});
