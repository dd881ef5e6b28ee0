// Profile steps from the bridge to the chart's markers: a fermenter running a profile on a ManualClock
// publishes `profileStep`, the recorder's decoding accepts it, and the store turns each change of step into
// a `profile-step` event that the events query (GET /api/fermenters/<id>/events) returns.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/clock.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../firmware-bridge/sim/sim-board.js';
import type { FermenterState } from '../../firmware-bridge/types.js';
import { decodeMessage } from '../../history/payloads.js';
import { HistoryReader } from '../../history/reader.js';
import { HistoryStore, type IngestItem } from '../../history/store.js';
import { sampleState } from '../broker/helpers.js';
import { tempDir } from './helpers.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

describe('profile steps end to end', () => {
  it('publishes the running step, 0 then 1, then null once done, and records each change as an event', () => {
    const clock = new ManualClock(START);
    const config = checkFermenterConfig({
      id: 'ale',
      name: 'Ale',
      board: { type: 'sim', ambientMeanC: 20, ambientSwingC: 0, startBeerC: 18 },
      control: {
        mode: 'profile',
        // 36 s each: a hold, then a ramp up by one degree.
        profile: [
          { type: 'hold', targetC: 18, durationH: 0.01 },
          { type: 'ramp', targetC: 19, durationH: 0.01 },
        ],
      },
    });
    const fermenter = new Fermenter(config, new SimBoard(config.board, clock), clock);
    const states: FermenterState[] = [];
    for (let s = 1; s <= 90; s++) {
      clock.advance(1000);
      states.push(fermenter.tick());
    }
    const stepAt = (s: number) => states[s - 1]?.profileStep;
    expect([stepAt(1), stepAt(35), stepAt(36), stepAt(71), stepAt(72), stepAt(90)]).toEqual([
      0,
      0,
      1,
      1,
      null,
      null,
    ]);
    // Finished, the beer holds the last step's target.
    expect(states.at(-1)?.beerSetpointC).toBe(19);
    fermenter.stopProfile();
    clock.advance(1000);
    const stopped = fermenter.tick();
    expect([stopped.mode, stopped.profileStep]).toEqual(['beer', null]);

    // As the state publisher sends them and the recorder decodes them.
    const items = [...states, stopped].map((s) => {
      const decoded = decodeMessage(
        'cobrew/fermenter/ale/state',
        Buffer.from(JSON.stringify(s)),
        'cobrew',
        clock.now(),
      );
      if (decoded === null || !('item' in decoded))
        throw new Error(`state refused: ${JSON.stringify(decoded)}`);
      return decoded.item;
    });
    expect(items.map((i) => (i as Extract<IngestItem, { kind: 'state' }>).profileStep)).toEqual(
      states.map((s) => s.profileStep).concat(null),
    );

    const store = new HistoryStore(join(tempDir(), 'history.db'), { retentionMs: 30 * DAY });
    store.ingest(items);
    const reader = new HistoryReader(store.db, { retentionMs: 30 * DAY });
    expect(reader.events({ fermenterId: 'ale' })).toEqual([
      { at: START + 1000, kind: 'mode', from: null, to: 'profile' },
      { at: START + 1000, kind: 'profile-step', from: null, to: 0 },
      { at: START + 36_000, kind: 'profile-step', from: 0, to: 1 },
      { at: START + 91_000, kind: 'mode', from: 'profile', to: 'beer' },
    ]);
    store.close();
  });

  it('refuses a state whose profileStep is not a step index, and reads one without it as no step', () => {
    const decode = (patch: Record<string, unknown>) =>
      decodeMessage(
        'cobrew/fermenter/ale/state',
        Buffer.from(JSON.stringify({ ...sampleState('ale'), ...patch })),
        'cobrew',
        Date.UTC(2026, 0, 1, 12),
      );
    expect(decode({ profileStep: 1.5 })).toEqual({ refused: expect.stringMatching(/profileStep: 1\.5/) });
    expect(decode({ profileStep: -1 })).toEqual({ refused: expect.stringMatching(/profileStep: -1/) });
    expect(decode({})).toMatchObject({ item: { kind: 'state', profileStep: null } });
  });
});
