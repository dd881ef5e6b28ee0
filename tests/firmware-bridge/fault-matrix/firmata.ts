// The fault matrix on a Firmata board: the real Firmata driver, board session and guard against the Firmata
// responder (serialport's mock port), on one manual clock. Firmata has no board-side failsafe, so for the
// faults a board would catch itself, what the guard does on the host is measured instead, and the faults
// only a board could catch (a dead or stalled host) are shown unprotected.
import { ManualClock } from '../../../common/clock.js';
import { BoardSession } from '../../../firmware-bridge/boards/session.js';
import type { RealBoardConfig } from '../../../firmware-bridge/config-schema.js';
import { FirmataDriver } from '../../../firmware-bridge/drivers/firmata/firmata-driver.js';
import { ManualTimers } from '../../../firmware-bridge/drivers/serial/timers.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import type { Controller, Incident, OutputName } from '../../../firmware-bridge/types.js';
import { FirmataResponder, ROMS } from '../drivers/firmata/firmata-responder.js';
import { mockPath, whileRunning } from '../drivers/firmata/helpers.js';
import { type Cell, s1 } from './cells.js';

const DRIVER = 'Firmata (mock)' as const;
const PIN: Record<OutputName, number> = { heat: 7, cool: 8 };
const HEAT_MIN_OFF_S = 60;
const COOL_MIN_OFF_S = 300;

const always = (o: OutputName): Controller => ({
  name: `always-${o}`,
  step: () => ({ request: { heat: o === 'heat', cool: o === 'cool' }, chamberTargetC: null, state: o }),
});

/** A buggy controller: cooling on and off every other second. */
const flapping: Controller = {
  name: 'flapping',
  step: (input) => ({
    request: { heat: false, cool: Math.floor(input.now / 1000) % 2 === 0 },
    chamberTargetC: null,
    state: 'flapping',
  }),
};

async function rig(controller: Controller) {
  const clock = new ManualClock();
  const timers = new ManualTimers(clock);
  const path = mockPath('MATRIX');
  const board = new FirmataResponder({ path, timers });
  const config = checkFermenterConfig({
    id: 'f',
    name: 'Firmata',
    board: { type: 'firmata', port: path, mainsV: 230 },
    sensors: {
      beer: { address: ROMS.beer },
      chamber: { address: ROMS.chamber },
      ambient: { address: ROMS.ambient },
    },
    outputs: { heat: { loadW: 300 }, cool: { loadW: 150 } },
    safety: { heat: { minOnS: 10, minOffS: HEAT_MIN_OFF_S } },
  });
  const driver = new FirmataDriver({
    path,
    clock,
    timers,
    openPort: board.openPort,
    pins: { heat: PIN.heat, cool: PIN.cool, oneWire: 2 },
    probes: { beer: ROMS.beer, chamber: ROMS.chamber, ambient: ROMS.ambient },
    profile: 'uno-no-failsafe',
  });
  const session = new BoardSession('f', config.board as RealBoardConfig, driver, {
    clock,
    timers,
    log: () => {},
  });
  const fermenter = new Fermenter(config, driver, clock, { controller: () => controller });
  const incidents: Incident[] = [];
  fermenter.on('incident', (i) => incidents.push(i));
  session.attach(fermenter);
  await whileRunning(timers, session.open());
  let ticking = true;
  let steps = 0;
  /** Energised: the pin is an output driven high (the relay inputs are active high). */
  const energised = (o: OutputName) => {
    const p = board.pin(PIN[o]);
    return p.mode === 1 && p.level === 1;
  };
  /**
   * Runs up to `msTotal` of clock time in 100 ms steps, the fermenter ticking each second; `each` sees every
   * step and ends the run early by returning true.
   */
  const run = async (msTotal: number, each?: () => boolean | undefined) => {
    for (let t = 0; t < msTotal; t += 100) {
      await timers.advance(100);
      steps++;
      if (ticking && steps % 10 === 0) fermenter.tick();
      if (each?.() === true) return;
    }
  };
  const stop = () => whileRunning(timers, session.close());
  return {
    clock,
    board,
    incidents,
    energised,
    run,
    stop,
    stall: () => {
      ticking = false;
    },
  };
}

/** The first time from now that `o` is energised within `msTotal`, in ms after now; null if never. */
async function firstOn(r: Awaited<ReturnType<typeof rig>>, o: OutputName, msTotal: number) {
  const from = r.clock.now();
  let at: number | null = null;
  await r.run(msTotal, () => {
    if (r.energised(o)) at = r.clock.now() - from;
    return at !== null;
  });
  return at as number | null;
}

export async function firmataCells(): Promise<Cell[]> {
  const cells: Cell[] = [];

  for (const fault of ['host silent', 'host stalled but alive'] as const) {
    const r = await rig(always('heat'));
    await firstOn(r, 'heat', HEAT_MIN_OFF_S * 1000 + 5000);
    // Silent: the process is gone (nothing written any more); stalled: it lives but its loop stopped.
    r.stall();
    await r.run(60_000);
    const still = r.energised('heat');
    await r.stop();
    const offOnStop = !r.energised('heat');
    cells.push({
      fault,
      driver: DRIVER,
      kind: 'unprotected',
      measured: `heater still energised 60 s later: ${still ? 'yes' : 'no'} (pins stay as last written); host side: a clean stop switches it off (${offOnStop ? 'measured off' : 'NOT off'}), and every status, start and report says "no board failsafe"`,
    });
  }

  for (const versionLost of [false, true]) {
    const r = await rig(always('heat'));
    await firstOn(r, 'heat', HEAT_MIN_OFF_S * 1000 + 5000);
    await r.run(5000);
    r.board.reset({ versionLost });
    const back = await firstOn(r, 'heat', HEAT_MIN_OFF_S * 1000 + 10_000);
    await r.stop();
    cells.push({
      fault: versionLost ? 'reset without HELLO' : 'reset with HELLO',
      driver: DRIVER,
      kind: 'host-side',
      limit: `heater off for the guard's ${HEAT_MIN_OFF_S} s minimum off-time from the reset`,
      measured:
        back === null
          ? versionLost
            ? `heater never energised again in ${HEAT_MIN_OFF_S + 10} s: the reset went unseen and its pins stayed inputs (off)`
            : `heater not back on within ${HEAT_MIN_OFF_S + 10} s`
          : `heater back on ${s1(back)} after the reset (REPORT_VERSION seen)`,
      beyond: back !== null && back < HEAT_MIN_OFF_S * 1000 ? 1 : 0,
    });
  }

  {
    const r = await rig(always('heat'));
    for (let n = 0; n < 2; n++) {
      await firstOn(r, 'heat', HEAT_MIN_OFF_S * 1000 + 10_000);
      await r.run(300);
      r.board.reset();
      await r.run(2000);
    }
    const after = await firstOn(r, 'heat', 10 * 60_000);
    await r.stop();
    const tripped = r.incidents.some((i) => i.code === 'COBREW_ERR_BROWN_OUT_CHATTER');
    cells.push({
      fault: 'brown-out right after a relay switches on',
      driver: DRIVER,
      kind: 'host-side',
      limit: 'after the second reset within 5 s of a switch-on: trip latched, no switch-on until cleared',
      measured: `${tripped ? 'BROWN_OUT_CHATTER latched (cause unknown: Firmata cannot tell)' : 'no trip'}; heater ${after === null ? 'not energised' : `energised ${s1(after)}`} in the 10 min after`,
      beyond: (after === null ? 0 : 1) + (tripped ? 0 : 1),
    });
  }

  {
    const r = await rig(flapping);
    const edges: Array<{ on: boolean; at: number }> = [];
    let was = false;
    await r.run(30 * 60_000, () => {
      const now = r.energised('cool');
      if (now !== was) edges.push({ on: now, at: r.clock.now() });
      was = now;
      return false;
    });
    await r.stop();
    let shortest = Number.POSITIVE_INFINITY;
    for (let i = 1; i < edges.length; i++) {
      const e = edges[i];
      const prev = edges[i - 1];
      if (e?.on && prev !== undefined && !prev.on) shortest = Math.min(shortest, e.at - prev.at);
    }
    const starts = edges.filter((e) => e.on).length;
    cells.push({
      fault: 'early compressor restart asked by a buggy host',
      driver: DRIVER,
      kind: 'host-side',
      limit: `compressor off at least its ${COOL_MIN_OFF_S} s minimum off-time between runs (no board floor on Firmata: the guard's)`,
      measured: `a controller asking on/off every second for 30 min: ${starts} starts, shortest off ${Number.isFinite(shortest) ? s1(shortest) : 'none'}`,
      beyond: shortest < COOL_MIN_OFF_S * 1000 ? 1 : 0,
    });
  }

  {
    const r = await rig(always('heat'));
    await firstOn(r, 'heat', HEAT_MIN_OFF_S * 1000 + 5000);
    // The chamber warms at 0.25 °C/s (believable, not a jump) past the guard's 40 °C cut-off.
    let c = r.board.probes.get(ROMS.chamber) ?? 17.25;
    let overAt: number | null = null;
    let offAt: number | null = null;
    let step = 0;
    await r.run(150_000, () => {
      if (++step % 10 === 0) {
        c += 0.25;
        r.board.probes.set(ROMS.chamber, c);
      }
      if (overAt === null && c > 40) overAt = r.clock.now();
      if (overAt !== null && offAt === null && !r.energised('heat')) offAt = r.clock.now();
      return false;
    });
    await r.stop();
    const after = overAt !== null && offAt !== null ? (offAt as number) - (overAt as number) : null;
    const tripped = r.incidents.some((i) => i.code === 'COBREW_ERR_OVER_TEMPERATURE');
    // A sample takes its 800 ms conversion after the probe changes; the guard acts at its next tick.
    const limitMs = 3000;
    cells.push({
      fault: 'over-temperature',
      driver: DRIVER,
      kind: 'host-side',
      limit: `heater off within ${s1(limitMs)} of the chamber passing the guard's 40 °C (no board limit on Firmata)`,
      measured:
        after === null
          ? 'heater never cut'
          : `heater off ${s1(after)} after the probe passed 40 °C${tripped ? ' (OVER_TEMPERATURE trip)' : ''}`,
      beyond: after === null || after > limitMs ? 1 : 0,
    });
  }
  return cells;
}
