// The fault matrix on a BrewPi board: the real BrewPi driver and pass-through behind the guard, wired as
// the fleet wires it, against the BrewPi emulator. The board runs its own control and its own compressor
// timing, with no host-loss timeout; what cobrew can do is mode off on a trip, measured here.
import { BrewPiPassThrough } from '../../../firmware-bridge/drivers/brewpi/pass-through.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import type { Incident } from '../../../firmware-bridge/types.js';
import { brewPiRig } from '../drivers/brewpi/helpers.js';
import { whileRunning } from '../drivers/firmata/helpers.js';
import { type Cell, s1 } from './cells.js';

const DRIVER = 'BrewPi (mock)' as const;

async function rig() {
  const r = brewPiRig({ mode: 'o', beer: 20, fridge: 20, room: 18 });
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
  const incidents: Incident[] = [];
  fermenter.on('incident', (i) => {
    incidents.push(i);
    if (i.severity === 'trip') void driver.safeOff(i.code);
  });
  let ticking = true;
  const run = async (seconds: number, each?: () => void) => {
    for (let s = 0; s < seconds; s++) {
      await r.timers.advance(1000);
      if (ticking) fermenter.tick();
      each?.();
    }
  };
  return {
    r,
    incidents,
    run,
    stall: () => {
      ticking = false;
    },
    stop: () => whileRunning(r.timers, r.driver.close()),
  };
}

export async function brewPiCells(): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const fault of ['host silent', 'host stalled but alive'] as const) {
    const b = await rig();
    await b.run(60);
    b.stall();
    if (fault === 'host silent') b.r.board.deaf = true;
    await b.run(600);
    const mode = b.r.board.mode;
    await b.stop();
    cells.push({
      fault,
      driver: DRIVER,
      kind: 'unprotected',
      measured: `the board still runs its own control 10 min later: ${mode !== 'o' ? `yes (mode ${mode})` : 'no'}; it has no host-loss timeout, and its own firmware keeps its compressor timing`,
    });
  }
  const own =
    "the board's own firmware handles it (its relays restart only after its own minimum times, about 10 min after a reset); the driver cannot see a BrewPi reset and the mock does not model the firmware's timing";
  for (const fault of [
    'reset with HELLO',
    'reset without HELLO',
    'brown-out right after a relay switches on',
  ] as const) {
    cells.push({ fault, driver: DRIVER, kind: 'not run', why: own });
  }
  cells.push({
    fault: 'early compressor restart asked by a buggy host',
    driver: DRIVER,
    kind: 'not run',
    why: 'cobrew never switches a BrewPi relay (it sends mode and setpoints); the board enforces its own 300 s minimum cooling off-time, which the mock does not model',
  });

  {
    const b = await rig();
    await b.run(30);
    let overAt: number | null = null;
    let offAt: number | null = null;
    // The fridge air warms 0.25 °C/s (a believable rise) past the guard's 40 °C.
    await b.run(150, () => {
      b.r.board.fridge += 0.25;
      const now = b.r.clock.now();
      if (overAt === null && b.r.board.fridge > 40) overAt = now;
      const relays = b.r.board.relays;
      if (overAt !== null && offAt === null && b.r.board.mode === 'o' && !relays.heat && !relays.cool)
        offAt = now;
    });
    await b.stop();
    const after = overAt !== null && offAt !== null ? (offAt as number) - (overAt as number) : null;
    const tripped = b.incidents.some((i) => i.code === 'COBREW_ERR_OVER_TEMPERATURE');
    // T is polled every 2 s, the trip sends j{mode:o} at once, and the board's loop runs every second.
    const limitMs = 6000;
    cells.push({
      fault: 'over-temperature',
      driver: DRIVER,
      kind: 'host-side',
      limit: `board in mode off, every relay off, within ${s1(limitMs)} of the chamber passing the guard's 40 °C`,
      measured:
        after === null
          ? 'the board was never put in mode off'
          : `mode off and relays off ${s1(after)} after the chamber passed 40 °C${tripped ? ' (OVER_TEMPERATURE trip)' : ''}`,
      beyond: after === null || after > limitMs ? 1 : 0,
    });
  }
  return cells;
}
