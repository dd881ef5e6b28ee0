// What the controller says while it waits: a fresh start on a warm beer is "waiting to cool", with the time
// left until the compressor may start, not "idle".
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../../firmware-bridge/sim/sim-board.js';
import type { FermenterState } from '../../../firmware-bridge/types.js';

function fresh(startBeerC: number, targetC: number, roomC: number): FermenterState[] {
  const clock = new ManualClock();
  const config = checkFermenterConfig({
    id: 'w',
    name: 'w',
    board: {
      type: 'sim',
      startBeerC,
      ambientMeanC: roomC,
      ambientSwingC: 0,
      originalGravity: 1.01,
      finalGravity: 1.01,
    },
    control: { mode: 'beer', beerSetpointC: targetC },
  });
  const f = new Fermenter(config, new SimBoard(config.board, clock), clock);
  const states: FermenterState[] = [];
  for (let s = 0; s < 900; s++) {
    clock.advance(1000);
    states.push(f.tick());
  }
  return states;
}

describe('controller state while waiting', () => {
  it('a beer 2 °C above target waits to cool, counting down to the first compressor start', () => {
    const states = fresh(20, 18, 20);
    const first = states.findIndex((s) => s.outputs.cool);
    expect(first).toBeGreaterThan(0);
    const before = states.slice(5, first);
    expect(before.every((s) => s.controllerState === 'waiting-to-cool')).toBe(true);
    const waits = before.map((s) => s.controllerWaitS ?? Number.NaN);
    expect(waits.every((w) => w > 0)).toBe(true);
    // The countdown is honest: it falls by about a second a second and ends when the compressor starts.
    const w0 = waits[0] as number;
    expect(Math.abs(w0 - (first - 5))).toBeLessThan(30);
    expect(waits.at(-1)).toBeLessThanOrEqual(2);
    expect(states[first]?.controllerState).toBe('cooling');
    expect(states[first]?.controllerWaitS).toBeNull();
  });

  it('a beer on target is idle and waits for nothing', () => {
    const states = fresh(18, 18, 18);
    expect(states.slice(-60).every((s) => s.controllerState === 'idle' && s.controllerWaitS === null)).toBe(
      true,
    );
  });
});
