// The fleet drives a real board through the driver factory: it opens it before ticking, carries the board
// in the state, turns the board's own actions into guard incidents (so the guard never believes an output
// is on that the board has cut), keeps a board that cannot be opened safe while others run, and switches
// everything off and closes the port on stop.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { createFleet } from '../../../firmware-bridge/fleet.js';
import { type FleetRig, fleetRig } from './fleet-rig.js';
import { MODULE_RELAY, realFermenter } from './helpers.js';

let rig: FleetRig | null = null;
afterEach(async () => {
  if (rig) await rig.during(rig.fleet.stop());
  rig = null;
});

/** A fleet whose real fermenter asks for heat (chamber target well above the chamber's 18.5 °C). */
async function heating(opts: Parameters<typeof fleetRig>[0] = {}) {
  const r = fleetRig(opts);
  rig = r;
  await r.during(r.fleet.open());
  const ale = r.fleet.fermenters[0];
  ale?.setMode('chamber');
  ale?.setChamberSetpoint(25);
  r.fleet.start();
  // The chamber loop starts its first heater pulse about two minutes in.
  await r.run(150_000);
  return r;
}

const last = (r: FleetRig, id = 'ale') => r.states.get(id)?.at(-1);
const ale = (r: FleetRig) => {
  const f = r.fleet.fermenters.find((x) => x.id === 'ale');
  if (f === undefined) throw new Error('no ale');
  return f;
};

describe('fleet on a real board', () => {
  it('opens the board before ticking, drives it, and carries the board in the state', async () => {
    const r = await heating();
    expect(r.log.map((e) => e.kind)).toEqual(['board-identified']);
    expect(r.log[0]).toMatchObject({
      fermenterId: 'ale',
      identity: { firmware: 'cobrew-ref', profile: 'ref-uno-r1' },
    });
    expect(last(r)?.outputs).toEqual({ heat: true, cool: false });
    expect(r.board.relays).toEqual({ heat: true, cool: false });
    expect(last(r)?.beerC).toBeCloseTo(20.062, 3);
    expect(last(r)?.board).toEqual({
      kind: 'cobrew',
      profile: 'ref-uno-r1',
      modified: false,
      deviations: [],
      firmware: 'cobrew-ref 1.0.0',
      connected: true,
      warnings: [],
    });
    expect(last(r, 'sim')?.board).toMatchObject({ kind: 'sim', modified: false });
    expect(r.incidents).toEqual([]);
  });

  it("turns the board's own failsafe into a guard incident, so the guard no longer believes the heater is on", async () => {
    const r = await heating();
    r.board.deaf = true;
    await r.run(12_000);
    expect(r.board.relays.heat).toBe(false);
    expect(r.log.map((e) => e.kind)).toContain('board-failsafe');
    const incident = r.incidents.find((i) => i.message.includes("board's own failsafe"));
    expect(incident).toMatchObject({ code: 'COBREW_ERR_FORCED_SAFE', fermenterId: 'ale' });
    expect(incident?.context.detail?.reason).toContain('HB_TIMEOUT');
    // The incident carries the readings before it.
    expect(incident?.context.recent.length).toBeGreaterThan(50);
    const failsafeAt = incident?.at ?? 0;
    const after = r.states.get('ale')?.find((s) => s.at > failsafeAt);
    expect(after?.outputs.heat).toBe(false);
  });

  it('a board reset (watchdog) becomes an incident and restarts the minimum off-time', async () => {
    const r = await heating();
    r.board.reset('watchdog');
    await r.run(1500);
    expect(r.log.at(-1)).toMatchObject({ kind: 'board-reset', identity: { resetCause: 'watchdog' } });
    expect(r.incidents.map((i) => i.message).join()).toContain(
      'the board reset (cause: watchdog, seen by its HELLO)',
    );
    expect(last(r)?.outputs.heat).toBe(false);
    expect(r.board.relays.heat).toBe(false);
    await r.run(180_000);
    expect(r.board.relays.heat).toBe(true);
  });

  it('brown-out resets right after the heater relay switches on latch a trip, journalled', async () => {
    const r = await heating();
    // The heater is running: stop it (the board opens its relay), so the next switch-on is seen.
    ale(r).setChamberSetpoint(10);
    await r.run(60_000);
    ale(r).setChamberSetpoint(25);
    for (let n = 0; n < 2; n++) {
      expect(r.board.relays.heat).toBe(false);
      let on = false;
      for (let t = 0; t < 4000 && !on; t++) {
        await r.run(100);
        on = r.board.relays.heat;
      }
      expect(on).toBe(true);
      await r.run(300);
      r.board.reset('brown-out');
      await r.run(1500);
    }
    expect(r.log.filter((e) => e.kind === 'board-reset')).toHaveLength(2);
    const trip = r.incidents.find((i) => i.code === 'COBREW_ERR_BROWN_OUT_CHATTER');
    expect(trip).toMatchObject({ severity: 'trip', fermenterId: 'ale' });
    expect(trip?.message).toContain('right after the heater switched on');
    await r.run(600_000);
    expect(r.board.relays.heat).toBe(false);
    expect(last(r)?.safety.trips).toContain('COBREW_ERR_BROWN_OUT_CHATTER');
  });

  it('a reset whose HELLO was lost stops the compressor until its minimum off-time has passed since the reset, journalled', async () => {
    const r = fleetRig();
    rig = r;
    await r.during(r.fleet.open());
    const ale = r.fleet.fermenters[0];
    ale?.setMode('chamber');
    ale?.setChamberSetpoint(5);
    r.fleet.start();
    // The guard's start-up minimum off-time (cool 300 s) passes first.
    await r.run(320_000);
    expect(r.board.relays.cool).toBe(true);
    const resetAt = r.clock.now();
    r.board.reset('brown-out', { helloLost: true });
    let backOnAt: number | null = null;
    for (let t = 0; t < 400_000 && backOnAt === null; t += 1000) {
      await r.run(1000);
      if (r.board.relays.cool) backOnAt = r.clock.now();
    }
    expect(r.log.find((e) => e.kind === 'board-reset')).toMatchObject({
      sign: 'boot-flag',
      identity: { resetCause: 'unknown' },
    });
    expect(r.incidents.map((i) => i.message).join()).toContain('its HELLO lost');
    expect((backOnAt ?? Number.POSITIVE_INFINITY) - resetAt).toBeGreaterThanOrEqual(300_000);
    expect(backOnAt).not.toBeNull();
  });

  it("shows the board's compressor-protection refusal in words, and keeps the fermenter safe", async () => {
    const r = fleetRig();
    rig = r;
    await r.during(r.fleet.open());
    r.board.refuseOn = 'MINOFF';
    const ale = r.fleet.fermenters[0];
    ale?.setMode('chamber');
    ale?.setChamberSetpoint(5);
    r.fleet.start();
    await r.run(320_000);
    expect(r.board.relays.cool).toBe(false);
    expect(r.log.find((e) => e.kind === 'board-refused')).toMatchObject({ reason: 'MINOFF' });
    expect(r.incidents.map((i) => i.message).join()).toContain(
      "MINOFF: the compressor's minimum off-time compiled into the board has not passed",
    );
  });

  it('warns in the board summary when the board reports a brown-out level below 4.3 V', async () => {
    const r = fleetRig({ board: { helloTail: [300, 60, 300, 2700] } });
    rig = r;
    await r.during(r.fleet.open());
    r.fleet.start();
    await r.run(2000);
    expect(r.log[0]).toMatchObject({ kind: 'board-identified', identity: { brownOutMv: 2700 } });
    expect(last(r)?.board?.warnings).toEqual([
      expect.stringContaining('brown-out detection is set to 2.7 V, below 4.3 V'),
    ]);
    expect(last(r)?.board?.modified).toBe(false);
  });

  it('shows a cooling output declared resistive as a deviation of the board in the state', async () => {
    const r = fleetRig({
      real: realFermenter({}, { heat: { loadW: 200 }, cool: { loadW: 60, kind: 'resistive' } }),
    });
    rig = r;
    await r.during(r.fleet.open());
    r.fleet.start();
    await r.run(2000);
    expect(last(r)?.board).toMatchObject({
      modified: true,
      deviations: [expect.stringContaining('outputs.cool.kind: resistive (declared')],
    });
  });

  it('an unplugged board is made safe at once, journalled, and resumes when replugged', async () => {
    const r = await heating();
    r.board.unplug();
    await r.run(3000);
    expect(last(r)?.board?.connected).toBe(false);
    expect(last(r)?.outputs).toEqual({ heat: false, cool: false });
    expect(r.incidents[0]?.message).toContain('was disconnected');
    r.board.replug();
    await r.run(15_000);
    expect(r.log.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['board-disconnected', 'board-reconnect-failed', 'board-reconnected']),
    );
    expect(last(r)?.board?.connected).toBe(true);
    expect(r.board.maxOpenAtOnce).toBe(1);
  });

  it('a board that cannot be opened leaves its fermenter safe with a clear incident; the others run; it is retried', async () => {
    const r = fleetRig({ plugged: false });
    rig = r;
    await r.during(r.fleet.open());
    r.fleet.start();
    await r.run(3000);
    expect(r.log[0]).toMatchObject({
      kind: 'board-open-failed',
      code: 'COBREW_ERR_SERIAL_OPEN',
      retryInMs: 5000,
    });
    expect(r.incidents[0]?.message).toContain('could not be opened (COBREW_ERR_SERIAL_OPEN');
    expect(last(r)?.outputs).toEqual({ heat: false, cool: false });
    expect(last(r)?.board?.connected).toBe(false);
    expect(r.states.get('sim')?.length).toBeGreaterThanOrEqual(3);
    r.board.replug();
    await r.run(6000);
    expect(r.log.map((e) => e.kind)).toContain('board-identified');
    expect(last(r)?.board?.connected).toBe(true);
  });

  it('switches every output off and releases the port on stop', async () => {
    const r = await heating();
    expect(r.board.relays.heat).toBe(true);
    await r.during(r.fleet.stop());
    rig = null;
    expect(r.board.relays).toEqual({ heat: false, cool: false });
    expect(r.board.received.filter((f) => f.type === 'OUT').at(-1)?.fields).toEqual(['0', '0']);
    expect(r.incidents.at(-2)?.context.detail?.reason).toBe('shutdown');
    // Closed: nothing more reaches the board.
    const seen = r.board.received.length;
    await r.run(5000);
    expect(r.board.received.length).toBe(seen);
  });

  it('shows a custom board as modified with its deviations, and a board reporting another profile too', async () => {
    const custom = realFermenter({
      profile: 'custom',
      custom: {
        channels: { relay1: { ...MODULE_RELAY, pin: 'D8', motor: { fullLoadA: 5, lockedRotorA: 30 } } },
      },
    });
    const r = fleetRig({ real: custom });
    rig = r;
    await r.during(r.fleet.open());
    r.fleet.start();
    await r.run(2000);
    expect(last(r)?.board).toMatchObject({ profile: 'custom', modified: true });
    expect(last(r)?.board?.deviations).toContain('channels.relay1.resistiveA: 16 → 10');
    await r.during(r.fleet.stop());

    const other = fleetRig({ board: { profile: 'ref-nano-hacked' } });
    rig = other;
    await other.during(other.fleet.open());
    other.fleet.start();
    await other.run(2000);
    expect(last(other)?.board).toMatchObject({
      profile: 'ref-uno-r1',
      modified: true,
      deviations: ['the board reports profile ref-nano-hacked, the configuration says ref-uno-r1'],
    });
  });

  it('refuses to build a fleet whose board would be overloaded, before opening anything', () => {
    const hot = realFermenter({}, { heat: { loadW: 2500 } });
    expect(() => createFleet({ fermenters: [hot], clock: new ManualClock() })).toThrow(
      expect.objectContaining({ code: 'COBREW_ERR_BOARD_RATING' }),
    );
  });
});
