// A fermenter run by cobrew's real control path (guard, controller) through the line driver, against the
// emulated reference board: readings flow in, the guard's outputs arrive as acknowledged OUTs, and the
// board's own failsafe and an unplugged cable are both seen and survived.
import { afterEach, expect, it } from 'vitest';
import type { LineBoardEvent } from '../../../../firmware-bridge/drivers/line/line-driver.js';
import { Fermenter } from '../../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../../firmware-bridge/fermenter-config.js';
import type { FermenterState, Incident } from '../../../../firmware-bridge/types.js';
import { ROMS } from './board-emulator.js';
import { openWhileRunning, type Rig, rig } from './helpers.js';

let current: Rig | null = null;
afterEach(async () => {
  if (current) await openWhileRunning(current, current.driver.close());
  current = null;
});

/** A warm chamber that cools while the compressor runs, so the guard sees cooling work. */
function physics(r: Rig): void {
  let chamber = 21_000;
  let beer = 21_000;
  const step = () => {
    r.timers.after(1000, step);
    chamber += r.board.relays.cool ? -8 : 1;
    beer += Math.round((chamber - beer) / 200);
    r.board.sensors.set(ROMS.chamber, chamber);
    r.board.sensors.set(ROMS.beer, beer);
  };
  r.timers.after(1000, step);
}

async function running() {
  const r = rig({ sensors: { [ROMS.beer]: 21_000, [ROMS.chamber]: 21_000, [ROMS.ambient]: 22_000 } });
  current = r;
  physics(r);
  await openWhileRunning(r, r.driver.open());
  const config = checkFermenterConfig({
    id: 'ale',
    name: 'Ale',
    board: { type: 'sim' },
    control: { mode: 'beer', beerSetpointC: 18 },
  });
  const fermenter = new Fermenter(config, r.driver, r.clock);
  const states: FermenterState[] = [];
  const incidents: Incident[] = [];
  const boardEvents: LineBoardEvent[] = [];
  fermenter.on('state', (s) => states.push(s));
  fermenter.on('incident', (i) => incidents.push(i));
  r.driver.onBoardEvent((e) => boardEvents.push(e));
  const tick = () => {
    r.timers.after(1000, tick);
    fermenter.tick();
  };
  r.timers.after(1000, tick);
  return { r, fermenter, states, incidents, boardEvents };
}

it('runs a fermenter on the board: readings in, acknowledged OUTs out', async () => {
  const { r, states, incidents } = await running();
  await r.timers.advance(15 * 60_000);
  const last = states.at(-1);
  expect(last?.chamberC).toBeLessThan(20);
  expect(last?.beerC).toBeGreaterThan(18);
  expect(last?.ambientC).toBe(22);
  expect(last?.outputs).toEqual({ heat: false, cool: true });
  expect(r.board.relays).toEqual({ heat: false, cool: true });
  expect(r.sent('OUT')).toContainEqual(['0', '1']);
  expect(r.driver.lastOutputAck).toMatchObject({ result: 'ack', outputs: { heat: false, cool: true } });
  expect(incidents).toEqual([]);
  // Every state the guard applied reached the board within a tick.
  expect(r.driver.stats.missingAnswers).toBe(0);
});

it('the board switches off by itself when it stops hearing the host, and the driver reports it', async () => {
  const { r, states, boardEvents } = await running();
  await r.timers.advance(15 * 60_000);
  expect(r.board.relays.cool).toBe(true);

  r.board.deaf = true;
  await r.timers.advance(11_000);
  expect(r.board.relays).toEqual({ heat: false, cool: false });
  expect(boardEvents).toContainEqual(expect.objectContaining({ type: 'failsafe', reason: 'HB_TIMEOUT' }));
  expect(boardEvents).toContainEqual(
    expect.objectContaining({ type: 'output-ack', ack: expect.objectContaining({ result: 'missing' }) }),
  );
  expect(r.driver.boardStatus?.flags).toBe(0x01);
  const ticks = states.length;

  r.board.deaf = false;
  await r.timers.advance(5000);
  expect(states.length).toBe(ticks + 5);
  expect(r.board.relays).toEqual(states.at(-1)?.outputs);
  expect(r.driver.boardStatus?.flags).toBe(0);
});

it('an unplugged board makes the fermenter safe, and it resumes once replugged', async () => {
  const { r, states, incidents } = await running();
  await r.timers.advance(15 * 60_000);
  r.board.unplug();
  await r.timers.advance(30_000);
  const away = states.at(-1);
  expect(away?.beerC).toBeNull();
  expect(away?.outputs).toEqual({ heat: false, cool: false });
  expect(incidents.map((i) => i.code)).toContain('COBREW_ERR_SENSOR_STALE');

  r.board.replug();
  await r.timers.advance(10_000);
  expect(r.driver.connected).toBe(true);
  expect(states.at(-1)?.beerC).toBeCloseTo((r.board.sensors.get(ROMS.beer) as number) / 1000, 1);
  expect(r.board.relays).toEqual(states.at(-1)?.outputs);
  expect(r.board.maxOpenAtOnce).toBe(1);
});
