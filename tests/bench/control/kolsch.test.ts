// The reference fridge fitted to a real BrewPi log: its replay must stay close to what the fridge did.
import { describe, expect, it } from 'vitest';
import { KOLSCH_BEFORE, KOLSCH_FIT } from '../../../bench/control/fermenters.js';
import { readKolschLog, replayLog, simBoard } from '../../../bench/control/kolsch.js';
import { profileFromLog } from '../../../bench/control/scenarios.js';

const rows = readKolschLog();

describe('Kölsch log', () => {
  it('is read up to the mode-off, single-sample spikes smoothed', () => {
    expect(rows.length).toBeGreaterThan(8000);
    expect((rows.at(-1)?.tS ?? 0) / 3600).toBeGreaterThan(250);
    // The log's ~13 single-sample beer spikes are gone; a longer one may stay.
    const jumps = rows.filter((r, i) => i > 0 && Math.abs(r.beerC - (rows[i - 1]?.beerC ?? 0)) > 0.3);
    expect(jumps.length).toBeLessThan(5);
    expect(rows.some((r) => r.cool)).toBe(true);
    expect(rows.some((r) => r.heat)).toBe(true);
  });

  it('replays within 0.25 °C (beer) and 0.5 °C (fridge air) on the fitted fridge, far better than the default', () => {
    const fitted = replayLog(rows, simBoard(KOLSCH_FIT));
    const before = replayLog(rows, simBoard(KOLSCH_BEFORE));
    expect(fitted.beerRmsC).toBeLessThan(0.25);
    expect(fitted.fridgeRmsC).toBeLessThan(0.5);
    expect(before.beerRmsC).toBeGreaterThan(10 * fitted.beerRmsC);
    expect(before.fridgeRmsC).toBeGreaterThan(5 * fitted.fridgeRmsC);
  });

  it('turns the logged setpoint into a profile that follows it within 0.2 °C hourly', () => {
    const steps = profileFromLog(rows);
    let t = 0;
    let from = rows[0]?.beerSetC ?? 0;
    const ends: Array<[number, number]> = [];
    for (const s of steps) {
      t += s.durationH;
      ends.push([t, s.targetC]);
      from = s.targetC;
    }
    expect(from).toBeCloseTo(18.67, 1);
    let i = 0;
    for (const [h, c] of ends) {
      while (i + 1 < rows.length && (rows[i + 1]?.tS ?? 0) <= h * 3600) i++;
      expect(Math.abs((rows[i]?.beerSetC ?? 0) - c)).toBeLessThan(0.2);
    }
  });
});
