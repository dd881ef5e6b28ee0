// The benchmark's arrival limit: no controller on the same simulator may arrive sooner than it.
import { describe, expect, it } from 'vitest';
import { coast, flatOutS, idealHoldLimits, OVERSHOOT_TARGET_C } from '../../../bench/control/limit.js';
import { CONTROLLERS, runScenario } from '../../../bench/control/run.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { Physics } from '../../../firmware-bridge/sim/physics.js';
import { stepScenario } from './step-scenario.js';

const step = stepScenario('short-step', 0.5, 2, 18, 14);

describe('arrival limit', () => {
  it('is no later than any controller arrives, and a controller arrives in the band', () => {
    const ideal = idealHoldLimits(step);
    expect(ideal.arrivalS).toHaveLength(1);
    // Coasting onto the target without overshoot costs time against flat out, and stopping later
    // overshoots more.
    const noOvershoot = ideal.coast[0];
    expect(noOvershoot?.overshootC).toBeLessThanOrEqual(OVERSHOOT_TARGET_C);
    expect(noOvershoot?.arrivalS).toBeGreaterThanOrEqual(ideal.arrivalS[0] as number);
    const overshoots = ideal.curve[0]?.map((p) => p.overshootC) ?? [];
    for (let i = 1; i < overshoots.length; i++)
      expect(overshoots[i]).toBeLessThanOrEqual(overshoots[i - 1] as number);
    for (const c of CONTROLLERS) {
      const run = runScenario(step, c);
      expect(run.flatOutS).toHaveLength(1);
      expect(run.figures.arrivalS).toHaveLength(1);
      const arrival = run.figures.arrivalS[0] as number;
      expect(arrival).toBeGreaterThanOrEqual(run.flatOutS[0] as number);
      expect(Number.isFinite(arrival)).toBe(true);
    }
  });

  it('plays a copy forward and leaves the original untouched', () => {
    const cfg = checkFermenterConfig({ id: 'x', name: 'x', board: { type: 'sim', startBeerC: 18 } }).board;
    if (cfg.type !== 'sim') throw new Error('sim board expected');
    const p = new Physics(cfg, 0);
    const s = flatOutS(p.clone(), 0, 14, () => 20);
    expect(s).toBeGreaterThan(3600);
    expect(p.beerC).toBe(18);
    const late = coast(p.clone(), 0, 14, 0, () => 20);
    expect(late.arrivalS).toBe(s);
    expect(late.overshootC).toBeGreaterThan(OVERSHOOT_TARGET_C);
    // A target out of reach of any heater gives up rather than looping forever.
    expect(flatOutS(p.clone(), 0, 300, () => 20)).toBe(Number.POSITIVE_INFINITY);
  });
});
