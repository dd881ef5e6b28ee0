// cobrew's real line driver on the emulated board's pty, under a Fermenter and its safety guard: the guard's
// decisions reach the pins, the board never has to refuse or override what the guard allows, the two sets
// of limits agree, and when the host hangs the board switches off by itself.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../common/clock.js';
import { LineDriver } from '../../../firmware-bridge/drivers/line/line-driver.js';
import { systemTimers, type Timers } from '../../../firmware-bridge/drivers/serial/timers.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import type { Controller, Outputs } from '../../../firmware-bridge/types.js';
import { buildFirmware, EmulatedBoard } from './emulated-board.js';
import { neverBoth, romOf } from './helpers.js';

const wall: Clock = { now: () => Date.now() };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const BEER = romOf('0000000000B1');
const CHAMBER = romOf('0000000000C2');

/** Real timers that a test can freeze, as if the host process hung: nothing scheduled fires any more. */
function freezableTimers(): Timers & { freeze(): void } {
  let frozen = false;
  return {
    after: (ms, fn) => systemTimers.after(ms, () => frozen || fn()),
    freeze: () => {
      frozen = true;
    },
  };
}

/** Asks the guard for whatever the test says: the guard is the real one, the request is the variable. */
function scripted(): Controller & { want: Outputs } {
  const c = {
    name: 'scripted',
    want: { heat: false, cool: false },
    step: () => ({ request: { ...c.want }, chamberTargetC: null, state: 'scripted' }),
  };
  return c;
}

describe('reference firmware under cobrew: line driver, fermenter and guard', () => {
  const stops: Array<() => Promise<unknown>> = [];
  beforeAll(() => {
    buildFirmware('test', 'sim');
  });
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  it("keeps the board's outputs equal to the guard's, never has a command refused, and fails safe when the host hangs", async () => {
    const board = await EmulatedBoard.start({ speed: 1 });
    stops.push(() => board.stop());
    board.command(`sensor ${BEER} 18000`);
    board.command(`sensor ${CHAMBER} 17500`);
    const timers = freezableTimers();
    const driver = new LineDriver({
      path: board.pty,
      probes: { beer: BEER, chamber: CHAMBER },
      clock: wall,
      timers,
    });
    const identity = await driver.open();
    stops.push(() => driver.close());
    expect(identity).toMatchObject({ firmware: 'cobrew-ref', profile: 'ref-uno-r1', resetCause: 'power-on' });
    expect(identity.sensors).toEqual([BEER, CHAMBER]);
    const failsafes: string[] = [];
    driver.onBoardEvent((e) => {
      if (e.type === 'failsafe') failsafes.push(e.reason);
    });

    const controller = scripted();
    const config = checkFermenterConfig({
      id: 'ref',
      name: 'reference board',
      board: { type: 'sim' },
      safety: {
        // At or above the test build's compressor protection (cool off 5 s, on 2 s, dead time 3 s).
        heat: { minOnS: 1, minOffS: 0 },
        cool: { minOnS: 2, minOffS: 6 },
        interlockDeadS: 4,
      },
    });
    const fermenter = new Fermenter(config, driver, wall, { controller: () => controller });
    const ticking = setInterval(() => fermenter.tick(), 100);
    stops.push(async () => clearInterval(ticking));
    /** Waits (up to 10 s: dead time 4 s plus the driver and board) until the guard and the pins show `expected`. */
    const settled = async (expected: Outputs) => {
      for (let i = 0; i < 100; i++) {
        const applied = fermenter.latest()?.outputs;
        const same = (o: Outputs | undefined) => o?.heat === expected.heat && o?.cool === expected.cool;
        if (same(applied) && same(board.pins)) return;
        await sleep(100);
      }
      throw new Error(
        `expected ${JSON.stringify(expected)}: guard ${JSON.stringify(fermenter.latest()?.outputs)}, ` +
          `pins ${JSON.stringify(board.pins)}`,
      );
    };

    // The first conversion ends 750 ms after the driver's SCAN.
    await board.frame('T', 0, (f) => f.fields[0] === CHAMBER);
    await sleep(200);
    expect(fermenter.latest()).toMatchObject({ beerC: 18, chamberC: 17.5 });

    controller.want = { heat: true, cool: false };
    await settled({ heat: true, cool: false });

    // Straight to cooling: the guard stops heat, waits its dead time, then cools; the board follows.
    controller.want = { heat: false, cool: true };
    await settled({ heat: false, cool: true });
    const heatOff = await board.pinChange('heat', false);
    const coolOn = await board.pinChange('cool', true);
    expect(coolOn - heatOff).toBeGreaterThan(3.8e6); // interlockDeadS 4 s, emulated ≈ wall time

    // Both asked: the guard keeps the one running and never sends OUT,1,1.
    controller.want = { heat: true, cool: true };
    await sleep(1000);
    await settled({ heat: false, cool: true });
    const naks = board.events.filter((e) => e.kind === 'tx' && e.frame?.type === 'NAK');
    expect(naks).toEqual([]);
    expect(driver.lastOutputAck?.result).toBe('ack');
    expect(failsafes).toEqual([]);
    expect(driver.boardStatus?.flags).toBe(0);

    // The host hangs: no heartbeat, no OUT. The board's own timeout switches the compressor off.
    const from = board.events.length;
    timers.freeze();
    clearInterval(ticking);
    const lastAnswer = board.events.filter((e) => e.kind === 'tx' && e.frame?.type === 'ACK').at(-1);
    const off = await board.pinChange('cool', false, from, 15_000);
    expect(off - (lastAnswer?.us ?? 0)).toBeGreaterThan(9.99e6);
    expect(off - (lastAnswer?.us ?? 0)).toBeLessThanOrEqual(10.01e6);
    neverBoth(board);
    expect((await board.frame('FS', from)).frame.fields).toEqual(['HB_TIMEOUT']);
    expect(board.pins).toMatchObject({ heat: false, cool: false });
  });

  it("compiles the guard's default max on-times into the board, so with defaults the guard always acts first", async () => {
    const board = await EmulatedBoard.start({ speed: 0 });
    stops.push(() => board.stop());
    const driver = new LineDriver({ path: board.pty, probes: {}, clock: wall });
    await driver.open();
    stops.push(() => driver.close());
    const defaults = checkFermenterConfig({ id: 'd', name: 'd', board: { type: 'sim' } }).safety;
    expect(driver.boardLimits).toMatchObject({
      maxOnHeatS: defaults.heat.maxOnS,
      maxOnCoolS: defaults.cool.maxOnS,
    });
    // The driver heartbeats at a quarter of the board's timeout: three may be lost before the board acts.
    expect(driver.boardLimits?.heartbeatTimeoutS).toBe(10);
  });

  it('refuses limits looser than the firmware was built with, naming them', async () => {
    const board = await EmulatedBoard.start({ speed: 0 });
    stops.push(() => board.stop());
    const driver = new LineDriver({
      path: board.pty,
      probes: {},
      clock: wall,
      limits: { heartbeatTimeoutS: 10, maxOnHeatS: 5 * 3600, maxOnCoolS: 86400 },
    });
    await expect(driver.open()).rejects.toMatchObject({ code: 'COBREW_ERR_BOARD_LIMITS' });
  });
});
