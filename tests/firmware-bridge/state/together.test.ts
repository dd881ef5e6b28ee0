// A hundred fermenters starting must not cost a hundred synchronous commits: the fleet builds them inside
// one batch of the control state, on disk (all of it, or none) before the first tick.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../common/clock.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { createFleet, type Fleet } from '../../../firmware-bridge/fleet.js';
import type { ControlStateStore } from '../../../firmware-bridge/state/control-state.js';
import { controlDbFile, openControlState } from '../../../firmware-bridge/state/sqlite-store.js';

let dir: string;
let store: ControlStateStore | undefined;
let reader: Database.Database | undefined;
let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
  store?.close();
  reader?.close();
  rmSync(dir, { recursive: true, force: true });
});

const intentsOnDisk = () =>
  (reader as Database.Database)
    .prepare<[], { fermenter: string }>("SELECT fermenter FROM control_state WHERE kind = 'intent'")
    .all()
    .map((r) => r.fermenter);

function open(): ControlStateStore {
  dir = mkdtempSync(join(tmpdir(), 'cobrew-together-'));
  store = openControlState(dir);
  reader = new Database(controlDbFile(dir), { readonly: true });
  return store;
}

describe('saves made together', () => {
  it('are committed once, when the batch returns', () => {
    const s = open();
    const intent = (id: string) => ({
      mode: 'off' as const,
      beerSetpointC: 20,
      chamberSetpointC: 20,
      profile: [],
      profileStartAt: 0,
      progress: null,
      changedBy: 'cobrew.yaml',
      changedAt: 0,
      configDigest: id,
    });
    const seenInside = s.together(() => {
      for (const id of ['a', 'b', 'c']) s.forFermenter(id).saveIntent(intent(id));
      return intentsOnDisk();
    });
    expect(seenInside).toEqual([]);
    expect(intentsOnDisk()).toEqual(['a', 'b', 'c']);
  });

  it('are all dropped if the batch throws', () => {
    const s = open();
    const failing = () =>
      s.together(() => {
        const off = { on: false, onAt: 0, offAt: 0, ran: true };
        s.forFermenter('a').saveGuard({ latches: [], outputs: { heat: off, cool: off }, nextIncidentId: 1 });
        throw new Error('a fermenter could not be built');
      });
    expect(failing).toThrow(/could not be built/);
    expect(s.fermenters()).toEqual([]);
  });

  it("hold every fermenter's first intent when the fleet is built, on disk before its first tick", () => {
    const s = open();
    const ids = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, '0')}`);
    const batches: string[][] = [];
    const watched: ControlStateStore = {
      ...s,
      together: (fn) =>
        s.together(() => {
          const out = fn();
          batches.push(intentsOnDisk());
          return out;
        }),
    };
    const configs = ids.map((id) => checkFermenterConfig({ id, name: id, board: { type: 'sim' } }));
    fleet = createFleet({ fermenters: configs, clock: new ScaledClock(1), store: watched });
    // Not one of them was committed on its own while the fleet was built; all were once it was.
    expect(batches).toEqual([[]]);
    expect(intentsOnDisk()).toEqual(ids);
  });
});
