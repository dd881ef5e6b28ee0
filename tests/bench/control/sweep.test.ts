// The sweep of simulated fermenters: varied enough, and its figures taken against the limit and BrewPi-style.
import { describe, expect, it } from 'vitest';
import { KOLSCH_FIT, SWEEP } from '../../../bench/control/fermenters.js';
import { runSweep, sweepScenario } from '../../../bench/control/sweep.js';

describe('control sweep', () => {
  it('spans at least 12 fermenters, 5-60 L, both heater mounts, and fridges as slow as the Kölsch one', () => {
    expect(SWEEP.length).toBeGreaterThanOrEqual(12);
    const volumes = SWEEP.map((f) => f.board.volumeL ?? 20);
    expect(Math.min(...volumes)).toBeLessThanOrEqual(5);
    expect(Math.max(...volumes)).toBeGreaterThanOrEqual(60);
    expect(new Set(SWEEP.map((f) => f.board.heaterMount ?? 'chamber'))).toEqual(
      new Set(['chamber', 'vessel']),
    );
    const slow = SWEEP.filter((f) => (f.board.coolerW ?? 150) <= KOLSCH_FIT.coolerW);
    expect(slow.length).toBeGreaterThanOrEqual(2);
    expect(new Set(SWEEP.map((f) => f.name)).size).toBe(SWEEP.length);
  });

  it('reports each fermenter against its flat-out limit and BrewPi-style, and the worst of each', () => {
    const f = SWEEP[0];
    if (!f) throw new Error('empty sweep');
    expect(sweepScenario(f).profile).toHaveLength(3);
    const r = runSweep([f]);
    expect(r.fermenters).toBe(1);
    const e = r.each[0];
    expect(e?.limitS).toHaveLength(2);
    expect(e?.arrivalRatio).toBeGreaterThanOrEqual(1);
    expect(e?.arrivalRatio).toBeLessThan(3);
    expect(r.worst.settledRmsRatio).toBe(e?.settledRmsRatio);
    expect(e?.energyRatio).toBeCloseTo((e?.cobrew.kWh ?? 0) / (e?.brewpi.kWh ?? 1), 9);
  });
});
