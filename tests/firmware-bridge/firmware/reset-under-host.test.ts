// A board reset under cobrew's real line driver, board session and guard, on the emulated board: whether
// the board's HELLO arrives or noise eats it, the compressor stays off after the reset until the guard's
// minimum off-time has passed since it, and the reset is journalled.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../common/clock.js';
import { type BoardLogEntry, BoardSession } from '../../../firmware-bridge/boards/session.js';
import type { RealBoardConfig } from '../../../firmware-bridge/config-schema.js';
import { LineDriver } from '../../../firmware-bridge/drivers/line/line-driver.js';
import { systemTimers } from '../../../firmware-bridge/drivers/serial/timers.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import type { Controller } from '../../../firmware-bridge/types.js';
import { buildFirmware, EmulatedBoard } from './emulated-board.js';
import { romOf } from './helpers.js';

const wall: Clock = { now: () => Date.now() };
const BEER = romOf('0000000000B1');
const CHAMBER = romOf('0000000000C2');
// Above the test build's compressor protection (cool off 5 s, on 2 s, dead time 3 s).
const MIN_OFF_S = 6;

const cooling: Controller = {
  name: 'always-cool',
  step: () => ({ request: { heat: false, cool: true }, chamberTargetC: null, state: 'cooling' }),
};

describe('a board reset under the host', () => {
  const stops: Array<() => Promise<unknown>> = [];
  beforeAll(() => {
    buildFirmware('test', 'sim');
  });
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });

  async function coolingOnBoard() {
    const board = await EmulatedBoard.start({ speed: 1 });
    stops.push(() => board.stop());
    board.command(`sensor ${BEER} 18000`);
    board.command(`sensor ${CHAMBER} 17500`);
    const config = checkFermenterConfig({
      id: 'ref',
      name: 'reference board',
      board: { type: 'cobrew', port: board.pty, mainsV: 230 },
      sensors: { beer: { address: BEER }, chamber: { address: CHAMBER } },
      outputs: { heat: { loadW: 300 }, cool: { loadW: 150 } },
      safety: { cool: { minOnS: 2, minOffS: MIN_OFF_S }, heat: { minOnS: 1, minOffS: 1 }, interlockDeadS: 4 },
    });
    const driver = new LineDriver({ path: board.pty, probes: { beer: BEER, chamber: CHAMBER }, clock: wall });
    const log: BoardLogEntry[] = [];
    const session = new BoardSession('ref', config.board as RealBoardConfig, driver, {
      clock: wall,
      timers: systemTimers,
      log: (e) => log.push(e),
    });
    const fermenter = new Fermenter(config, driver, wall, { controller: () => cooling });
    session.attach(fermenter);
    await session.open();
    stops.push(() => session.close());
    const ticking = setInterval(() => fermenter.tick(), 100);
    stops.push(async () => clearInterval(ticking));
    // The guard's start-up minimum off-time, then the compressor runs.
    await board.pinChange('cool', true, 0, (MIN_OFF_S + 5) * 1000);
    return { board, log };
  }

  for (const helloLost of [false, true]) {
    it(`keeps the compressor off for its minimum off-time from the reset (HELLO ${helloLost ? 'lost' : 'received'})`, async () => {
      const { board, log } = await coolingOnBoard();
      await new Promise((r) => setTimeout(r, 1500));
      const from = board.events.length;
      if (helloLost) board.command('mute 1');
      board.command('reset brown-out');
      const resetAt = await board.waitFor(
        'reset',
        (e) => (e.kind === 'reset' ? e.us : undefined),
        5000,
        from,
      );
      if (helloLost) {
        const lost = await board.waitFor('lost HELLO', (e) => (e.kind === 'lost' ? e.line : undefined));
        expect(lost).toContain('HELLO');
      }
      const backOn = await board.pinChange('cool', true, from, (MIN_OFF_S + 8) * 1000);
      expect(backOn - resetAt).toBeGreaterThanOrEqual(MIN_OFF_S * 1e6);
      expect(log.find((e) => e.kind === 'board-reset')).toMatchObject(
        helloLost
          ? { sign: 'boot-flag', identity: { resetCause: 'unknown' } }
          : { sign: 'hello', identity: { resetCause: 'brown-out' } },
      );
    }, 30_000);
  }
});
