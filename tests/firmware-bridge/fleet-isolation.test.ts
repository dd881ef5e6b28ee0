// One fermenter's failure stays its own, in a fleet of three: a Firmata board that resets (its driver says
// so without saying who it is), a simulated fermenter whose driver throws on every tick, and a healthy one.
// The failing one is made safe, gets an incident and is restarted with a growing wait; the two others keep
// publishing one state per control period.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/clock.js';
import { ManualTimers } from '../../firmware-bridge/drivers/serial/timers.js';
import type { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { createFleet, type Fleet } from '../../firmware-bridge/fleet.js';
import type { Incident } from '../../firmware-bridge/types.js';
import { FirmataResponder, ROMS } from './drivers/firmata/firmata-responder.js';
import { mockPath, whileRunning } from './drivers/firmata/helpers.js';

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

function rig() {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const path = mockPath('ISOLATION');
  const board = new FirmataResponder({ path, timers });
  const ale = checkFermenterConfig({
    id: 'ale',
    name: 'Ale',
    board: { type: 'firmata', port: path, mainsV: 230 },
    sensors: {
      beer: { address: ROMS.beer },
      chamber: { address: ROMS.chamber },
      ambient: { address: ROMS.ambient },
    },
    outputs: { heat: { loadW: 200 }, cool: { loadW: 150 } },
  });
  const sims = ['lager', 'stout'].map((id) => checkFermenterConfig({ id, name: id, board: { type: 'sim' } }));
  const errors: Array<{ id: string; retryInMs: number }> = [];
  const fleet: Fleet = createFleet({
    fermenters: [ale, ...sims],
    clock,
    timers,
    openPort: board.openPort,
    onError: (id, _err, retryInMs) => errors.push({ id, retryInMs }),
  });
  const counts = new Map<string, number[]>();
  const incidents: Incident[] = [];
  for (const f of fleet.fermenters) {
    counts.set(f.id, []);
    f.on('state', (s) => counts.get(f.id)?.push(s.at));
    f.on('incident', (i) => incidents.push(i));
  }
  stop = () => whileRunning(timers, fleet.stop());
  return { clock, timers, board, fleet, errors, counts, incidents };
}

describe('a fleet of three', () => {
  it('keeps a Firmata reset and a driver that throws on every tick to their own fermenters', async () => {
    const r = rig();
    const lager = r.fleet.fermenters[1] as unknown as Fermenter;
    lager.board.read = () => {
      throw new Error('the driver lost its frame');
    };
    await whileRunning(r.timers, r.fleet.open());
    r.fleet.start();
    const run = async (ms: number) => {
      for (let t = 0; t < ms; t += 100) await r.timers.advance(100);
    };
    await run(30_000);
    const since = r.clock.now();
    r.board.reset();
    await run(60_000);

    // The reset: outputs forced off and told, the board still identified, no error.
    const reset = r.incidents.find((i) => i.fermenterId === 'ale' && i.message.includes('the board reset'));
    expect(reset).toMatchObject({ code: 'COBREW_ERR_FORCED_SAFE', severity: 'alarm' });
    expect(r.fleet.fermenters[0]?.latest()?.board?.connected).toBe(true);
    // Healthy fermenters: one state per second of the minute after the reset, as before it.
    for (const id of ['ale', 'stout']) {
      const after = (r.counts.get(id) ?? []).filter((at) => at > since);
      expect(after.length, id).toBeGreaterThanOrEqual(59);
      expect(after.length, id).toBeLessThanOrEqual(61);
    }
    // The failing one: safe at every failure, restarted after 1, 2, 4, 8, 16, 32 s.
    expect(r.errors.every((e) => e.id === 'lager')).toBe(true);
    expect(r.errors.map((e) => e.retryInMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 64_000]);
    const failures = r.incidents.filter((i) => i.fermenterId === 'lager');
    expect(failures).toHaveLength(r.errors.length);
    expect(failures[0]?.message).toContain('its control failed (the driver lost its frame); it restarts in');
    expect(failures[0]?.context.outputs).toBeDefined();
  });
});
