import { describe, expect, it } from 'vitest';
import {
  BrewPiTempSensor,
  CascadedFilter,
  FilterSection,
  UNITS_PER_C,
} from '../../../bench/baselines/brewpi-filters.js';

const U = UNITS_PER_C;

/** Index of the first sample (the step being sample 0) at which the output reaches one half. */
function halfTime(add: (units: number) => number): number {
  for (let k = 0; k < 100_000; k++) if (add(U) >= U / 2) return k;
  throw new Error('never reached one half');
}

describe('BrewPi filter section', () => {
  it('reaches one half of a step after 3, 6, 13, 26, 53 samples for b = 0..4 (the firmware table)', () => {
    const table = [3, 6, 13, 26, 53];
    table.forEach((expected, b) => {
      const s = new FilterSection(b);
      s.init(0);
      expect(halfTime((x) => s.add(x))).toBe(expected);
    });
  });
});

describe('BrewPi cascaded filter', () => {
  it.each([1, 3, 4])('b = %i: unit DC gain, monotonic step response without overshoot', (b) => {
    const f = new CascadedFilter(b);
    f.init(20 * U);
    let prev = 20 * U;
    for (let k = 0; k < 20_000; k++) {
      const y = f.add(21 * U);
      expect(y).toBeGreaterThanOrEqual(prev);
      // Integer truncation leaves a deadband (here under 1e-4 °C), as in the firmware.
      expect(y).toBeLessThanOrEqual(21 * U + 1e-4 * U);
      prev = y;
    }
    expect(prev / U).toBeCloseTo(21, 4);
  });

  it.each([
    [1, 6],
    [3, 26],
    [4, 53],
  ])('b = %i: three sections delay about three times one section (%i samples)', (b, single) => {
    const f = new CascadedFilter(b);
    f.init(0);
    const t = halfTime((x) => f.add(x));
    expect(t).toBeGreaterThanOrEqual(3 * single);
    expect(t).toBeLessThanOrEqual(3.5 * single);
  });

  it('reports a positive peak once, on the sample after the output turned down', () => {
    const f = new CascadedFilter(1);
    f.init(10 * U);
    const peaks: Array<[number, number]> = [];
    for (let k = 0; k < 2000; k++) {
      f.add((k < 100 ? 12 : 10) * U);
      const p = f.detectPosPeak();
      if (!Number.isNaN(p)) peaks.push([k, p]);
      expect(Number.isNaN(f.detectNegPeak()) || k < 100).toBe(true);
    }
    expect(peaks).toHaveLength(1);
    const [k, peak] = peaks[0] ?? [0, 0];
    expect(k).toBeGreaterThanOrEqual(100);
    expect(peak / U).toBeGreaterThan(11.99);
    expect(peak / U).toBeLessThanOrEqual(12 + 1e-5);
  });
});

describe('BrewPi temperature sensor', () => {
  it('fast filter of the fridge (b = 1) is quicker than the slow filter of the beer (b = 4)', () => {
    const fridge = new BrewPiTempSensor(1, 4, 3);
    const beer = new BrewPiTempSensor(3, 4, 4);
    fridge.update(20);
    beer.update(20);
    let fridgeHalf = -1;
    let beerHalf = -1;
    for (let k = 1; k < 1000; k++) {
      fridge.update(21);
      beer.update(21);
      if (fridgeHalf < 0 && fridge.fast >= 20.5) fridgeHalf = k;
      if (beerHalf < 0 && beer.slow >= 20.5) beerHalf = k;
    }
    expect(fridgeHalf).toBeGreaterThanOrEqual(18);
    expect(fridgeHalf).toBeLessThanOrEqual(21);
    expect(beerHalf).toBeGreaterThanOrEqual(159);
    expect(beerHalf).toBeLessThanOrEqual(186);
  });

  it('slope takes its first sample on the 255th update', () => {
    // b = 0 on the slope filter, so that its first input shows at once.
    const s = new BrewPiTempSensor(3, 4, 0);
    const ramp = (k: number) => 20 + (100 * k) / 3600;
    for (let k = 0; k < 254; k++) {
      s.update(ramp(k));
      expect(s.slope).toBe(0);
    }
    s.update(ramp(254));
    expect(s.slope).toBeGreaterThan(0);
  });

  it('slope reads °C per hour: it settles on 1 °C/h on a 1 °C/h ramp', () => {
    const s = new BrewPiTempSensor(3, 4, 4);
    for (let k = 0; k < 3 * 3600; k++) s.update(20 + k / 3600);
    expect(s.slope).toBeGreaterThan(0.99);
    expect(s.slope).toBeLessThan(1.01);
  });

  it('slope is capped like the firmware 16-bit slope (27/512 °C per 3 s): a 100 °C/h ramp reads ~63 °C/h', () => {
    const s = new BrewPiTempSensor(3, 4, 4);
    let max = 0;
    for (let k = 0; k < 3 * 3600; k++) {
      s.update(10 + (100 * k) / 3600);
      max = Math.max(max, s.slope);
    }
    expect(max).toBeGreaterThan(60);
    expect(max).toBeLessThan((1200 * 28) / 512);
  });

  it('keeps its filters through a short outage and restarts them after more than 60 failed reads', () => {
    const short = new BrewPiTempSensor(1, 4, 3);
    const long = new BrewPiTempSensor(1, 4, 3);
    for (let k = 0; k < 300; k++) {
      short.update(20);
      long.update(20);
    }
    for (let k = 0; k < 60; k++) short.update(null);
    for (let k = 0; k < 61; k++) long.update(null);
    expect(short.connected).toBe(false);
    short.update(25);
    long.update(25);
    expect(short.connected).toBe(true);
    expect(short.fast).toBeLessThan(21);
    expect(long.fast).toBe(25);
  });

  it('counts failed reads over its life, as the firmware does', () => {
    const s = new BrewPiTempSensor(1, 4, 3);
    s.update(20);
    for (let k = 0; k < 40; k++) s.update(null);
    s.update(20);
    for (let k = 0; k < 21; k++) s.update(null);
    s.update(25);
    expect(s.fast).toBe(25);
  });
});
