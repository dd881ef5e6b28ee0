// Gravity from a hydrometer joins the fermenter's state and drives profile steps that end on gravity.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../common/clock.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { SimIspindel } from '../../firmware-bridge/sim/ispindel.js';
import { SimBoard } from '../../firmware-bridge/sim/sim-board.js';
import type { FermenterState } from '../../firmware-bridge/types.js';

const H = 3_600_000;

function rig(control: Record<string, unknown> = {}, board: Record<string, unknown> = {}) {
  const clock = new ManualClock();
  const config = checkFermenterConfig({ id: 'ale', name: 'Ale', board: { type: 'sim', ...board }, control });
  const sim = new SimBoard(config.board, clock);
  const fermenter = new Fermenter(config, sim, clock);
  const tick = (ms: number): FermenterState => {
    let state = fermenter.tick();
    for (let t = 0; t < ms; t += 1000) {
      clock.advance(1000);
      state = fermenter.tick();
    }
    return state;
  };
  return { clock, sim, fermenter, tick };
}

describe('hydrometer readings on a fermenter', () => {
  it('show gravity and battery in the state while fresh, and drop them after two hours of silence', () => {
    const { clock, fermenter, tick } = rig();
    expect(tick(1000)).toMatchObject({ gravity: null, hydrometerBatteryV: null });
    fermenter.reportHydrometer({ gravity: 1.0421, batteryV: 3.9, at: clock.now() });
    expect(tick(1000)).toMatchObject({ gravity: 1.0421, hydrometerBatteryV: 3.9 });
    expect(tick(2 * H + 2000)).toMatchObject({ gravity: null, hydrometerBatteryV: null });
  });

  it('end a profile step on gravity, fed by a simulated iSpindel following the yeast curve', () => {
    const { clock, sim, fermenter, tick } = rig(
      {
        mode: 'profile',
        profile: [
          { type: 'hold', targetC: 18, durationH: 14 * 24, until: { gravityAtMost: 1.02 } },
          { type: 'hold', targetC: 21, durationH: 48 },
        ],
      },
      { startBeerC: 18, originalGravity: 1.05, finalGravity: 1.012 },
    );
    const ispindel = new SimIspindel(sim, { intervalS: 900 });
    let state = tick(1000);
    while (state.beerSetpointC === 18 && clock.now() < Date.UTC(2026, 0, 15)) {
      const report = ispindel.poll(clock.now());
      if (report) fermenter.reportHydrometer({ gravity: report.gravity, at: report.at });
      state = tick(60_000);
    }
    expect(state.beerSetpointC).toBe(21);
    // It moved on when the beer was about at 1.020, days before the step's 14-day limit.
    expect(sim.truth().gravity).toBeGreaterThan(1.017);
    expect(sim.truth().gravity).toBeLessThan(1.021);
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBeLessThan(6 * 24 * H);
  });
});
