// A BrewPi board in cobrew's control path, wired as the fleet wires it (firmware-bridge/drivers/brewpi/
// README.md): the real Fermenter and safety guard, the pass-through controller, the driver, and the emulator.
import { afterEach, describe, expect, it } from 'vitest';
import { BrewPiPassThrough } from '../../../../firmware-bridge/drivers/brewpi/pass-through.js';
import { Fermenter } from '../../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../../firmware-bridge/fermenter-config.js';
import type { FermenterState, Incident } from '../../../../firmware-bridge/types.js';
import { whileRunning } from '../firmata/helpers.js';
import { type BrewPiRig, brewPiRig } from './helpers.js';

const rigs: BrewPiRig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) await whileRunning(r.timers, r.driver.close());
});

async function brewPiFermenter() {
  const r = brewPiRig({ mode: 'o', beer: 20, fridge: 20, room: 18 });
  rigs.push(r);
  await whileRunning(r.timers, r.driver.open());
  const config = checkFermenterConfig({
    id: 'brewpi',
    name: 'BrewPi',
    board: { type: 'brewpi', port: r.board.path, mainsV: 230 },
    control: { mode: 'beer', beerSetpointC: 18 },
  });
  const driver = r.driver;
  const fermenter = new Fermenter(config, driver, r.clock, {
    controller: () => new BrewPiPassThrough(driver),
  });
  // The fleet's wiring: a trip puts the board in mode off at once.
  const incidents: Incident[] = [];
  fermenter.on('incident', (i) => {
    incidents.push(i);
    if (i.severity === 'trip') void driver.safeOff(i.code);
  });
  let last: FermenterState | null = null;
  const run = async (seconds: number) => {
    for (let s = 0; s < seconds; s++) {
      await r.timers.advance(1000);
      last = fermenter.tick();
    }
    return last as unknown as FermenterState;
  };
  return { r, fermenter, incidents, run };
}

describe('a BrewPi board behind cobrew’s guard', () => {
  it('gets the fermenter’s mode and setpoint, and publishes its readings and relays as any fermenter', async () => {
    const { r, fermenter, incidents, run } = await brewPiFermenter();
    let state = await run(20);
    expect(r.board).toMatchObject({ mode: 'b', beerSet: 18 });
    expect(state.beerC).toBeCloseTo(r.board.beer, 1);
    expect(state.chamberC).toBeCloseTo(r.board.fridge, 1);
    expect(state.ambientC).toBeCloseTo(18, 1);
    // The board is cooling towards 18 °C; the guard first holds the compressor's start-up minimum off-time.
    expect(r.board.relays.cool).toBe(true);
    state = await run(400);
    expect(state.outputs).toEqual(r.driver.boardState?.outputs);
    expect(state.outputs.cool).toBe(true);
    expect(state.controllerState).toBe('cooling');
    expect(state.chamberSetpointC).toBe(r.driver.boardState?.fridgeSetC);
    fermenter.setBeerSetpoint(17.5);
    await run(3);
    expect(r.board.beerSet).toBe(17.5);
    fermenter.setMode('off');
    await run(3);
    expect(r.board.mode).toBe('o');
    expect(incidents).toEqual([]);
    expect(r.driver.held).toBeNull();
  });

  it('on a trip commands mode off, verifies it, and resumes only after a person clears the trip', async () => {
    const { r, fermenter, incidents, run } = await brewPiFermenter();
    await run(60);
    expect(r.board.mode).toBe('b');
    // The beer probe comes off the board: T: reports BeerTemp null.
    r.board.probes.beer = false;
    let state = await run(30);
    expect(incidents.map((i) => i.code)).toContain('COBREW_ERR_SENSOR_STALE');
    expect(state.safety.status).toBe('tripped');
    expect(r.board.mode).toBe('o');
    expect(r.told('mode-off-verified')).toEqual([
      expect.objectContaining({ reason: 'COBREW_ERR_SENSOR_STALE' }),
    ]);
    // The pass-through keeps forwarding "beer at 18 °C"; the latch keeps the board off.
    state = await run(60);
    expect(r.board.mode).toBe('o');
    expect(state.outputs).toEqual({ heat: false, cool: false });
    r.board.probes.beer = true;
    await run(5);
    fermenter.clearTrip('brewer');
    r.driver.resume();
    await run(3);
    expect(r.board).toMatchObject({ mode: 'b', beerSet: 18 });
  });

  it('drives a profile as brewpi-script does: profile mode once, then bare setpoint changes', async () => {
    const { r, fermenter, incidents, run } = await brewPiFermenter();
    await run(10);
    const before = r.board.settingsCommands.length;
    const eepromBefore = r.board.eepromWrites;
    // A 2-hour ramp from the beer's 20 °C down to 17 °C: the setpoint moves in 0.1 °C steps, 30 changes.
    fermenter.startProfile([{ type: 'ramp', targetC: 17, durationH: 2 }]);
    await run(3 * 3600);
    const sent = r.board.settingsCommands.slice(before);
    const modeWrites = sent.filter((c) => c.includes('mode:'));
    expect(modeWrites).toHaveLength(1);
    expect(modeWrites[0]).toMatch(/^j\{mode:p, beerSet:(19\.9|20)\}$/);
    expect(sent.length).toBeGreaterThanOrEqual(25);
    expect(sent.slice(1).every((c) => /^j\{beerSet:[\d.]+\}$/.test(c))).toBe(true);
    expect(r.board).toMatchObject({ mode: 'p', beerSet: 17 });
    // The mode alone reaches the board's EEPROM; the moving setpoint does not.
    const eeprom = r.board.eepromWrites - eepromBefore;
    expect(eeprom).toBe(1);
    // Leaving the profile is a mode write again.
    fermenter.stopProfile();
    await run(5);
    expect(r.board.settingsCommands.at(-1)).toBe('j{mode:b, beerSet:17}');
    expect(incidents).toEqual([]);
    console.log(
      `BrewPi profile over 3 h: ${sent.length} settings writes, ${modeWrites.length} with a mode, ` +
        `${eeprom} EEPROM write(s) on the board`,
    );
  }, 60_000);
});
