// The fault matrix on the reference firmware in simavr: a raw host (LineClient) for what the board must do
// whatever the host says, and cobrew's real line driver, board session and guard on the wall clock for the
// faults where the host takes part. Heartbeat timeout 2 s (CFG) and heater minimum off-time 2 s keep each
// cell to a few seconds.
import type { Clock } from '../../../common/clock.js';
import { BoardSession } from '../../../firmware-bridge/boards/session.js';
import type { RealBoardConfig } from '../../../firmware-bridge/config-schema.js';
import { LineDriver } from '../../../firmware-bridge/drivers/line/line-driver.js';
import { systemTimers } from '../../../firmware-bridge/drivers/serial/timers.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import type { Controller, Incident } from '../../../firmware-bridge/types.js';
import { EmulatedBoard, type SimEvent } from '../firmware/emulated-board.js';
import { emulatedPast, romOf, TEST_MIN_OFF_COOL_US } from '../firmware/helpers.js';
import { LineClient } from '../firmware/line-client.js';
import { type Cell, ms } from './cells.js';

const DRIVER = 'cobrew firmware (simavr)' as const;
const wall: Clock = { now: () => Date.now() };
const BEER = romOf('0000000000B1');
const CHAMBER = romOf('0000000000C2');
const HB_S = 2;
const HEAT_MIN_OFF_S = 2;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

const heating: Controller = {
  name: 'always-heat',
  step: () => ({ request: { heat: true, cool: false }, chamberTargetC: null, state: 'heating' }),
};

type Stop = () => Promise<unknown>;

async function board(stops: Stop[], speed = 1): Promise<EmulatedBoard> {
  const b = await EmulatedBoard.start({ speed });
  stops.push(() => b.stop());
  b.command(`sensor ${BEER} 18000`);
  b.command(`sensor ${CHAMBER} 17500`);
  return b;
}

async function rawHost(stops: Stop[], speed = 1) {
  const b = await board(stops, speed);
  const host = await LineClient.open(b.pty);
  stops.push(() => host.close());
  await b.frame('HELLO');
  return { board: b, host };
}

/** cobrew's line driver, session and guard heating on the emulated board, ticking every 100 ms. */
async function hostOnBoard(stops: Stop[]) {
  const b = await board(stops);
  const config = checkFermenterConfig({
    id: 'ref',
    name: 'reference board',
    board: { type: 'cobrew', port: b.pty, mainsV: 230 },
    sensors: { beer: { address: BEER }, chamber: { address: CHAMBER } },
    outputs: { heat: { loadW: 300 }, cool: { loadW: 150 } },
    safety: {
      heat: { minOnS: 1, minOffS: HEAT_MIN_OFF_S },
      cool: { minOnS: 2, minOffS: 6 },
      interlockDeadS: 4,
    },
  });
  const driver = new LineDriver({
    path: b.pty,
    probes: { beer: BEER, chamber: CHAMBER },
    clock: wall,
    limits: { heartbeatTimeoutS: HB_S, maxOnHeatS: 14400, maxOnCoolS: 86400 },
  });
  const session = new BoardSession('ref', config.board as RealBoardConfig, driver, {
    clock: wall,
    timers: systemTimers,
    log: () => {},
  });
  const fermenter = new Fermenter(config, driver, wall, { controller: () => heating });
  const incidents: Incident[] = [];
  fermenter.on('incident', (i) => incidents.push(i));
  session.attach(fermenter);
  await session.open();
  stops.push(() => session.close());
  let ticking: ReturnType<typeof setInterval> | null = setInterval(() => fermenter.tick(), 100);
  const stopTicking = () => {
    if (ticking !== null) clearInterval(ticking);
    ticking = null;
  };
  stops.push(async () => stopTicking());
  await b.pinChange('heat', true, 0, 8000);
  return { board: b, incidents, stopTicking };
}

/** Pin-on events for `pin` from event index `from`, in emulated µs. */
function ons(b: EmulatedBoard, pin: 'heat' | 'cool', from: number): number[] {
  return b.events
    .slice(from)
    .flatMap((e: SimEvent) => (e.kind === 'pin' && e.pin === pin && e.on ? [e.us] : []));
}

/** One reset with the heater on: it must stay off for the guard's minimum off-time from the reset. */
async function resetCell(stops: Stop[], helloLost: boolean): Promise<Cell> {
  const { board: b } = await hostOnBoard(stops);
  await sleep(500);
  const from = b.events.length;
  if (helloLost) b.command('mute 1');
  b.command('reset watchdog');
  const resetAt = await b.waitFor('reset', (e) => (e.kind === 'reset' ? e.us : undefined), 5000, from);
  const backOn = await b.pinChange('heat', true, from, 10_000);
  const gap = (backOn - resetAt) / 1000;
  return {
    fault: helloLost ? 'reset without HELLO' : 'reset with HELLO',
    driver: DRIVER,
    kind: 'board',
    limit: `heater off for the guard's ${HEAT_MIN_OFF_S} s minimum off-time from the reset`,
    measured: `heater back on ${ms(gap)} after the reset${helloLost ? ' (HELLO lost: seen by BOOT in ST)' : ''}`,
    beyond: gap < HEAT_MIN_OFF_S * 1000 ? 1 : 0,
  };
}

export async function referenceCells(stops: Stop[]): Promise<Cell[]> {
  const cells: Cell[] = [];
  const done = async () => {
    for (const s of stops.splice(0).reverse()) await s();
  };

  {
    // Host silent: the last word is an OUT, then nothing.
    const { board: b, host } = await rawHost(stops);
    await host.answer(host.send('CFG', [HB_S, 14400, 86400]));
    await host.answer(host.send('OUT', [1, 0]));
    const on = await b.pinChange('heat', true);
    const off = await b.pinChange('heat', false, 0, 8000);
    const after = (off - on) / 1000;
    cells.push({
      fault: 'host silent',
      driver: DRIVER,
      kind: 'board',
      limit: `heater off ${HB_S} s (+5 ms) after the last message`,
      measured: `off ${ms(after)} after the last OUT (FS,HB_TIMEOUT)`,
      beyond: after > HB_S * 1000 + 5 ? 1 : 0,
    });
    await done();
  }

  {
    // Host stalled: the driver's timers run, the control loop does not; the driver stops its heartbeat.
    const { board: b, stopTicking } = await hostOnBoard(stops);
    await sleep(1000);
    stopTicking();
    const stalledAt = await b.now();
    const off = await b.pinChange('heat', false, 0, 8000);
    const after = (off - stalledAt) / 1000;
    // The driver sends HB for two of its periods (HB_S / 4 each) after the guard's last write.
    const limit = HB_S * 1000 + (2 * HB_S * 1000) / 4 + 250;
    cells.push({
      fault: 'host stalled but alive',
      driver: DRIVER,
      kind: 'board',
      limit: `heater off within ${ms(limit)} of the control loop's last tick (heartbeats stop after two periods, then the ${HB_S} s timeout)`,
      measured: `off ${ms(after)} after the last tick`,
      beyond: after > limit ? 1 : 0,
    });
    await done();
  }

  cells.push(await resetCell(stops, false));
  await done();
  cells.push(await resetCell(stops, true));
  await done();

  {
    // Brown-out 300 ms after the heater relay switches on, twice: the guard latches a trip.
    const { board: b, incidents } = await hostOnBoard(stops);
    let from = 0;
    for (let n = 0; n < 2; n++) {
      const on = await b.pinChange('heat', true, from, 10_000);
      from = b.events.length;
      await sleep(300);
      b.command('reset brown-out');
      await b.waitFor('reset', (e) => (e.kind === 'reset' && e.us > on ? e.us : undefined), 5000, from);
      from = b.events.length;
    }
    await sleep(HEAT_MIN_OFF_S * 1000 + 2000);
    const after = ons(b, 'heat', from).length;
    const tripped = incidents.some((i) => i.code === 'COBREW_ERR_BROWN_OUT_CHATTER');
    cells.push({
      fault: 'brown-out right after a relay switches on',
      driver: DRIVER,
      kind: 'board',
      limit: 'after the second brown-out within 5 s of a switch-on: trip latched, no switch-on until cleared',
      measured: `${tripped ? 'BROWN_OUT_CHATTER latched' : 'no trip'}; heater switched on ${after} times in the ${HEAT_MIN_OFF_S + 2} s after`,
      beyond: after + (tripped ? 0 : 1),
    });
    await done();
  }

  {
    // A buggy host asks the compressor on at boot, and again right after stopping it.
    const { board: b, host } = await rawHost(stops, 2);
    const early = await host.answer(host.send('OUT', [0, 1]));
    await emulatedPast(b, 0, TEST_MIN_OFF_COOL_US);
    await host.answer(host.send('OUT', [0, 1]));
    const on = await b.pinChange('cool', true);
    await emulatedPast(b, on, 2_000_000);
    await host.answer(host.send('OUT', [0, 0]));
    const off = await b.pinChange('cool', false, 0);
    const again = await host.answer(host.send('OUT', [0, 1]));
    await emulatedPast(b, off, TEST_MIN_OFF_COOL_US - 1_000_000);
    const starts = ons(b, 'cool', 0);
    const tooSoon = starts.filter(
      (us) => us < TEST_MIN_OFF_COOL_US || (us > off && us < off + TEST_MIN_OFF_COOL_US),
    );
    cells.push({
      fault: 'early compressor restart asked by a buggy host',
      driver: DRIVER,
      kind: 'board',
      limit:
        'compressor off for its minimum off-time from boot and from each stop (5 s on the test build, 300 s released)',
      measured: `asked at boot: ${early.type} ${early.fields[1] ?? ''}; asked again at once after a stop: ${again.type} ${again.fields[1] ?? ''}; ${tooSoon.length} early starts`,
      beyond: tooSoon.length,
    });
    await done();
  }

  {
    // A probe above the board's own 50 °C limit, whatever the host wants.
    const { board: b, host } = await rawHost(stops);
    await host.answer(host.send('SCAN'));
    await host.answer(host.send('OUT', [1, 0]));
    await b.pinChange('heat', true);
    const from = b.events.length;
    b.command(`sensor ${CHAMBER} 50500`);
    const hot = await b.frame('T', from, (f) => f.fields[1] === '50500', 5000);
    const off = await b.pinChange('heat', false, from, 5000);
    const after = (off - hot.us) / 1000;
    cells.push({
      fault: 'over-temperature',
      driver: DRIVER,
      kind: 'board',
      limit: 'heater off by the time the board reports the probe above 50 °C (+20 ms)',
      measured: `off ${after <= 0 ? `${ms(-after)} before` : `${ms(after)} after`} the T line reading 50.5 °C left the board (FS,OVERTEMP)`,
      beyond: after > 20 ? 1 : 0,
    });
    await done();
  }
  return cells;
}
