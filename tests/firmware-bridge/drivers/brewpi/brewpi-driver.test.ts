import { afterEach, describe, expect, it } from 'vitest';
import { whileRunning } from '../firmata/helpers.js';
import { SENSOR_ADDRESSES } from './emulator.js';
import { type BrewPiRig, brewPiRig } from './helpers.js';

const rigs: BrewPiRig[] = [];
function make(...args: Parameters<typeof brewPiRig>): BrewPiRig {
  const r = brewPiRig(...args);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  for (const r of rigs.splice(0)) await whileRunning(r.timers, r.driver.close());
});

async function online(...args: Parameters<typeof brewPiRig>): Promise<BrewPiRig> {
  const r = make(...args);
  await whileRunning(r.timers, r.driver.open());
  return r;
}

describe('identifying a BrewPi board', () => {
  it('asks `n` until the bootloader is done, then reads its constants and devices', async () => {
    const r = await online({ bootMs: 2200 });
    expect(r.driver.identity).toEqual({
      firmware: 'brewpi',
      version: '0.2.11',
      profile: 'custom',
      sensors: [SENSOR_ADDRESSES.fridge, SENSOR_ADDRESSES.beer],
    });
    const asked = r.board.commands.slice(0, 3);
    expect(asked).toEqual(['n', 'c', 'd{}']);
    expect(r.events[0]).toMatchObject({ type: 'identified' });
  });

  it('takes an early 0.2.x board: bare version, no device manager', async () => {
    const r = await online({ early: true, version: '0.2.3' });
    expect(r.driver.identity).toMatchObject({ version: '0.2.3', sensors: [] });
  });

  it('refuses a board set to Fahrenheit, saying how to switch it', async () => {
    const r = make({ tempFormat: 'F' });
    const err = await whileRunning(r.timers, r.driver.open()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COBREW_ERR_BREWPI_FAHRENHEIT' });
    expect((err as Error).message).toContain('j{tempFormat:C}');
    expect(r.board.maxOpenAtOnce).toBe(1);
  });

  it('gives up with COBREW_ERR_BREWPI_NO_ANSWER naming port and baud', async () => {
    const r = make({ bootMs: 60_000 }, { helloTimeoutMs: 4000 });
    const err = await whileRunning(r.timers, r.driver.open()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'COBREW_ERR_BREWPI_NO_ANSWER' });
    expect((err as Error).message).toContain(r.board.path);
    expect((err as Error).message).toContain('57600');
    expect(r.board.commands).toEqual([]);
  });
});

describe('readings and state', () => {
  it('maps BeerTemp, FridgeTemp and RoomTemp to beer, chamber and ambient; null is a missing probe', async () => {
    const r = await online({ beer: 19.52, fridge: 17.06, room: 21.5 });
    await r.timers.advance(2000);
    const f = r.driver.read();
    expect(f.beer?.value).toBeCloseTo(19.52, 1);
    expect(f.chamber?.value).toBeCloseTo(17.06, 1);
    expect(f.ambient?.value).toBeCloseTo(21.5, 1);
    r.board.probes.room = false;
    await r.timers.advance(2100);
    expect(r.driver.read().ambient).toBeNull();
    expect(r.driver.read().beer).not.toBeNull();
    expect(r.driver.stats.dropped).toBe(0);
  });

  it('reads the board’s LCD and control variables on request', async () => {
    const r = await online({ beer: 19.5 });
    const lcd = await whileRunning(r.timers, r.driver.lcd());
    expect(lcd).toHaveLength(4);
    expect(lcd?.[1]).toContain('19.50');
    expect(await whileRunning(r.timers, r.driver.variables())).toMatchObject({ beerDiff: 0, estPeak: 20 });
  });

  it('follows the board’s own state and relays from T: State', async () => {
    const r = await online({ mode: 'f', fridgeSet: 25, fridge: 18, beer: 18 });
    await r.timers.advance(3000);
    expect(r.board.relays.heat).toBe(true);
    expect(r.driver.boardState).toMatchObject({
      state: 'heating',
      outputs: { heat: true, cool: false },
      fridgeSetC: 25,
      beerSetC: null,
    });
  });
});

describe('mode and setpoints', () => {
  it('sends j{…} with unquoted keys and confirms by reading the settings back', async () => {
    const r = await online();
    r.driver.setTarget({ mode: 'b', beerSetC: 18.5 });
    await r.timers.advance(100);
    expect(r.board.settingsCommands).toEqual(['j{mode:b, beerSet:18.5}']);
    expect(r.board).toMatchObject({ mode: 'b', beerSet: 18.5 });
    expect(r.told('settings-confirmed')).toEqual([
      expect.objectContaining({ settings: { mode: 'b', beerSet: 18.5, fridgeSet: 20 } }),
    ]);
    r.driver.setTarget({ mode: 'f', fridgeSetC: 4 });
    await r.timers.advance(100);
    expect(r.board.settingsCommands.at(-1)).toBe('j{mode:f, fridgeSet:4}');
    expect(r.board).toMatchObject({ mode: 'f', fridgeSet: 4 });
    // The same target again sends nothing.
    r.driver.setTarget({ mode: 'f', fridgeSetC: 4 });
    await r.timers.advance(30_000);
    expect(r.board.settingsCommands).toHaveLength(2);
  });

  it('sends again every second until the board reports the change', async () => {
    const r = await online();
    r.board.loseSettings = 2;
    r.driver.setTarget({ mode: 'b', beerSetC: 16 });
    await r.timers.advance(5000);
    expect(r.board.settingsCommands).toEqual([
      'j{mode:b, beerSet:16}',
      'j{mode:b, beerSet:16}',
      'j{mode:b, beerSet:16}',
    ]);
    expect(r.board.beerSet).toBe(16);
  });

  it('puts back a setting changed at the board, and clamps to the board’s own setpoint limits', async () => {
    const r = await online();
    r.driver.setTarget({ mode: 'b', beerSetC: 19 });
    await r.timers.advance(100);
    r.board.mode = 'f';
    await r.timers.advance(11_000);
    expect(r.board.mode).toBe('b');
    // The pass-through asks every tick: one clamp, told once.
    for (let i = 0; i < 3; i++) {
      r.driver.setTarget({ mode: 'b', beerSetC: -2 });
      await r.timers.advance(1000);
    }
    expect(r.board.beerSet).toBe(1);
    expect(r.driver.target).toEqual({ mode: 'b', beerSetC: 1 });
    expect(r.driver.settings).toMatchObject({ mode: 'b', beerSet: 1 });
    expect(r.told('setpoint-clamped')).toEqual([expect.objectContaining({ askedC: -2, sentC: 1 })]);
  });
});

describe('cobrew’s guard over a board that runs its own loop', () => {
  it('on a trip commands mode off and re-sends until the board reports mode o', async () => {
    const r = await online({ mode: 'f', fridgeSet: 25, fridge: 18 });
    r.driver.setTarget({ mode: 'f', fridgeSetC: 25 });
    await r.timers.advance(3000);
    expect(r.board.relays.heat).toBe(true);
    r.board.loseSettings = 2;
    const verified = r.driver.safeOff('COBREW_ERR_OVER_TEMPERATURE');
    expect(await whileRunning(r.timers, verified)).toBe(true);
    expect(r.board.mode).toBe('o');
    expect(r.board.settingsCommands.slice(-3)).toEqual(['j{mode:o}', 'j{mode:o}', 'j{mode:o}']);
    expect(r.told('mode-off-verified')).toEqual([
      expect.objectContaining({ reason: 'COBREW_ERR_OVER_TEMPERATURE', sends: 3 }),
    ]);
    await r.timers.advance(2000);
    expect(r.board.relays).toEqual({ heat: false, cool: false });
    expect(r.driver.boardState?.state).toBe('off');
  });

  it('holds mode off against new targets until resume(), then sends the latest target', async () => {
    const r = await online();
    await whileRunning(r.timers, r.driver.safeOff('trip'));
    r.driver.setTarget({ mode: 'b', beerSetC: 17 });
    r.board.mode = 'b';
    await r.timers.advance(12_000);
    expect(r.board.mode).toBe('o');
    expect(r.driver.held).toBe('trip');
    r.driver.resume();
    await r.timers.advance(100);
    expect(r.board).toMatchObject({ mode: 'b', beerSet: 17 });
    expect(r.driver.held).toBeNull();
  });

  it('never switches a relay itself: an "on" from the guard sends nothing', async () => {
    const r = await online({ mode: 'o' });
    const before = r.board.commands.filter((c) => c.startsWith('j')).length;
    for (let i = 0; i < 10; i++) {
      r.driver.outputs.write({ heat: true, cool: false });
      await r.timers.advance(1000);
    }
    expect(r.board.commands.filter((c) => c.startsWith('j')).length).toBe(before);
    expect(r.board.relays.heat).toBe(false);
  });

  it('puts the board in mode off when the guard keeps a running output off beyond the grace', async () => {
    const r = await online({ mode: 'f', fridgeSet: 25, fridge: 18 }, { vetoGraceMs: 6000 });
    r.driver.setTarget({ mode: 'f', fridgeSetC: 25 });
    await r.timers.advance(3000);
    expect(r.driver.boardState?.outputs.heat).toBe(true);
    // A disagreement shorter than the grace (timing seen through the poll) changes nothing.
    for (let i = 0; i < 4; i++) {
      r.driver.outputs.write({ heat: false, cool: false });
      await r.timers.advance(1000);
    }
    r.driver.outputs.write({ heat: true, cool: false });
    expect(r.driver.held).toBeNull();
    for (let i = 0; i < 8; i++) {
      r.driver.outputs.write({ heat: false, cool: false });
      await r.timers.advance(1000);
    }
    expect(r.driver.held).toContain('kept heating off');
    expect(r.board.mode).toBe('o');
  });

  it('leaves the board in mode off when cobrew closes it', async () => {
    const r = await online();
    r.driver.setTarget({ mode: 'b', beerSetC: 18 });
    await r.timers.advance(100);
    await whileRunning(r.timers, r.driver.close());
    expect(r.board.mode).toBe('o');
    expect(r.driver.connected).toBe(false);
  });
});

describe('unplug and replug (BrewPi)', () => {
  it('reads null probes while away, reconnects on one port, re-identifies and re-asserts the mode', async () => {
    const r = await online({}, { reconnect: { initialMs: 500, maxMs: 4000 } });
    r.driver.setTarget({ mode: 'b', beerSetC: 18 });
    await r.timers.advance(2000);
    r.board.unplug();
    await r.timers.advance(10);
    expect(r.events).toContainEqual(expect.objectContaining({ type: 'disconnected' }));
    expect(r.driver.read()).toMatchObject({ beer: null, chamber: null, ambient: null });
    expect(r.driver.boardState).toBeNull();
    // A trip while the cable is out: the latch waits for the board.
    const verified = r.driver.safeOff('COBREW_ERR_SENSOR_STALE');
    // Someone sets the board by hand while it is away from cobrew.
    r.board.mode = 'f';
    await r.timers.advance(5000);
    expect(r.told('reconnect-failed').length).toBeGreaterThan(0);
    r.board.replug();
    expect(await whileRunning(r.timers, verified)).toBe(true);
    expect(r.events.filter((e) => e.type === 'reconnected')).toHaveLength(1);
    expect(r.board.mode).toBe('o');
    expect(r.board.opens).toBe(2);
    expect(r.board.maxOpenAtOnce).toBe(1);
    await r.timers.advance(2000);
    expect(r.driver.read().beer).not.toBeNull();
    // Released, the target comes back.
    r.driver.resume();
    await r.timers.advance(100);
    expect(r.board).toMatchObject({ mode: 'b', beerSet: 18 });
  });
});
