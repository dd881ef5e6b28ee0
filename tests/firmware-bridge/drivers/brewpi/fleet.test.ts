// `createFleet` with a BrewPi fermenter (the example of docs/boards-firmata-brewpi.md) on the emulator: the
// fleet forwards the fermenter's target to the board, publishes the board's readings and relays, puts the
// board in mode off on a trip, gives it its target back once the trip is cleared, and leaves it off on stop.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../common/clock.js';
import { ManualTimers } from '../../../../firmware-bridge/drivers/serial/timers.js';
import { checkFermenterConfig } from '../../../../firmware-bridge/fermenter-config.js';
import { createFleet, type Fleet } from '../../../../firmware-bridge/fleet.js';
import type { FermenterState, Incident } from '../../../../firmware-bridge/types.js';
import { mockPath, whileRunning } from '../firmata/helpers.js';
import { brewPiExamples, firstFermenter } from './doc-examples.js';
import { BrewPiEmulator } from './emulator.js';

const running: Array<{ timers: ManualTimers; fleet: Fleet }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await whileRunning(r.timers, r.fleet.stop());
});

async function brewPiFleet(safety: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const path = mockPath('BREWPIFLEET');
  const board = new BrewPiEmulator({ path, timers, mode: 'o', beer: 20, fridge: 20, room: 18 });
  const example = firstFermenter(brewPiExamples('docs/boards-firmata-brewpi.md')[0] as string);
  const config = checkFermenterConfig({
    ...example,
    board: { ...(example.board as object), port: path },
    control: { mode: 'beer', beerSetpointC: 18 },
    safety,
  });
  const fleet = createFleet({ fermenters: [config], clock, timers, openPort: board.openPort });
  running.push({ timers, fleet });
  const fermenter = fleet.fermenters[0];
  if (fermenter === undefined) throw new Error('the fleet has no fermenter');
  const incidents: Incident[] = [];
  fermenter.on('incident', (i) => incidents.push(i));
  await whileRunning(timers, fleet.open());
  fleet.start();
  const run = async (ms: number) => {
    await timers.advance(ms);
    return fermenter.latest() as FermenterState;
  };
  return { board, fleet, fermenter, incidents, run, timers };
}

const BEER_18 = 'j{mode:b, beerSet:18}';

describe('a BrewPi fermenter in the fleet', () => {
  it("publishes the board's temperatures and real outputs, and forwards a new beer setpoint", async () => {
    const { board, fermenter, incidents, run } = await brewPiFleet();
    await run(20_000);
    expect(board.settingsCommands).toEqual([BEER_18]);
    expect(board).toMatchObject({ mode: 'b', beerSet: 18 });
    // The board cools towards 18 °C; the guard first holds the compressor's start-up minimum off-time.
    const state = await run(400_000);
    expect(state.beerC).toBeCloseTo(board.beer, 1);
    expect(state.chamberC).toBeCloseTo(board.fridge, 1);
    expect(state.ambientC).toBeCloseTo(18, 1);
    expect(board.relays).toEqual({ heat: false, cool: true });
    expect(state.outputs).toEqual(board.relays);
    expect(state.controllerState).toBe('cooling');
    expect(state.board).toMatchObject({ kind: 'brewpi', connected: true, firmware: 'brewpi 0.2.11' });
    // The status page shows it plainly: cobrew's guard is this board's only protection.
    expect(state.board?.warnings).toEqual([expect.stringMatching(/^no board failsafe: /)]);

    fermenter.setBeerSetpoint(17.5);
    const after = await run(15_000);
    expect(after.beerSetpointC).toBe(17.5);
    expect(board.beerSet).toBe(17.5);
    // Sent once: the board's `S:` reported it, so the driver had no reason to send it again.
    expect(board.settingsCommands).toEqual([BEER_18, 'j{mode:b, beerSet:17.5}']);
    expect(board.commands.filter((c) => c === 's').length).toBeGreaterThan(2);
    expect(incidents).toEqual([]);
  });

  it('on a trip puts the board in mode off, gives it its target back once the trip is cleared, and leaves it off on stop', async () => {
    const { board, fleet, fermenter, incidents, run, timers } = await brewPiFleet();
    await run(60_000);
    expect(board.mode).toBe('b');
    // The beer probe comes off the board: its `T:` reports BeerTemp null, and the guard trips.
    board.probes.beer = false;
    let state = await run(30_000);
    expect(incidents.filter((i) => i.severity === 'trip').map((i) => i.code)).toEqual([
      'COBREW_ERR_SENSOR_STALE',
    ]);
    expect(state.safety.status).toBe('tripped');
    expect(board.mode).toBe('o');
    expect(board.settingsCommands.at(-1)).toBe('j{mode:o}');
    // The fermenter still wants beer at 18 °C, and a new setpoint is taken: the board stays off.
    fermenter.setBeerSetpoint(17);
    state = await run(60_000);
    expect(board.mode).toBe('o');
    expect(board.relays).toEqual({ heat: false, cool: false });
    expect(state.outputs).toEqual({ heat: false, cool: false });
    // A clear refused while the probe is still missing changes nothing.
    expect(() => fermenter.clearTrip('brewer')).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_TRIP_PERSISTS' }),
    );
    await run(5000);
    expect(board.mode).toBe('o');

    board.probes.beer = true;
    await run(5000);
    expect(fermenter.clearTrip('brewer')).toContain('COBREW_ERR_SENSOR_STALE');
    state = await run(3000);
    expect(board).toMatchObject({ mode: 'b', beerSet: 17 });
    expect(board.settingsCommands.at(-1)).toBe('j{mode:b, beerSet:17}');
    expect(state.safety.status).not.toBe('tripped');

    await whileRunning(timers, fleet.stop());
    expect(board.settingsCommands.at(-1)).toBe('j{mode:o}');
    expect(board.mode).toBe('o');
  });

  it('gives the board its target back when the guard recovers a sensor trip by itself', async () => {
    const { board, incidents, run } = await brewPiFleet({ autoRecover: { enabled: true, afterS: 30 } });
    await run(60_000);
    board.probes.beer = false;
    await run(30_000);
    expect(incidents.map((i) => i.code)).toContain('COBREW_ERR_SENSOR_STALE');
    expect(board.mode).toBe('o');
    board.probes.beer = true;
    await run(20_000);
    expect(board.mode).toBe('o');
    const state = await run(30_000);
    expect(state.safety.status).not.toBe('tripped');
    expect(board).toMatchObject({ mode: 'b', beerSet: 18 });
  });
});
