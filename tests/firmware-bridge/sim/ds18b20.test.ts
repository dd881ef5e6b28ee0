import { describe, expect, it } from 'vitest';
import { CONVERSION_MS, Ds18b20Bank, quantize12 } from '../../../firmware-bridge/sim/ds18b20.js';
import type { SensorFrame } from '../../../firmware-bridge/types.js';
import { H, MIN, NO_YEAST, onGrid, room, run, S, setup } from './helpers.js';

describe('12-bit quantisation', () => {
  it('rounds to the nearest sixteenth, without bias, within the chip range', () => {
    expect(quantize12(20.04)).toBe(20.0625);
    expect(quantize12(20.02)).toBe(20);
    expect(quantize12(20.0625)).toBe(20.0625);
    expect(quantize12(-0.01)).toBe(0);
    expect(quantize12(-0.04)).toBe(-0.0625);
    expect(quantize12(130)).toBe(125);
    expect(quantize12(-60)).toBe(-55);
  });

  it('reports every reading as a whole number of 0.0625 °C steps', () => {
    const { board, clock } = setup({ sensorNoiseC: 0.3, startBeerC: 24 });
    board.outputs.write({ heat: false, cool: true });
    let checked = 0;
    run(clock, 2 * H, 333, () => {
      const f = board.read();
      for (const s of [f.beer, f.chamber, f.ambient]) {
        expect(s).not.toBeNull();
        if (s && !onGrid(s.value)) throw new Error(`${s.value} is not a multiple of 0.0625`);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(60_000);
  });
});

describe('noise', () => {
  const readings = (seed: number, noiseC = 0.1) => {
    const { board, clock } = setup({ seed, sensorNoiseC: noiseC, ...NO_YEAST }, room(20));
    const out: SensorFrame[] = [];
    run(clock, 5 * MIN, 750, () => out.push(board.read()));
    return out;
  };

  it('is reproducible from the seed and different for another seed', () => {
    expect(readings(7)).toEqual(readings(7));
    const a = readings(7).map((f) => f.beer?.value);
    const b = readings(8).map((f) => f.beer?.value);
    expect(a).not.toEqual(b);
  });

  it('has the configured standard deviation', () => {
    const values = readings(3, 0.5).map((f) => f.chamber?.value ?? Number.NaN);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(20, 0);
    expect(sd).toBeGreaterThan(0.4);
    expect(sd).toBeLessThan(0.6);
  });

  it('is independent per probe', () => {
    const frames = readings(5, 0.5);
    expect(frames.map((f) => f.beer?.value)).not.toEqual(frames.map((f) => f.chamber?.value));
  });
});

describe('conversion timing', () => {
  it('publishes a new value every 750 ms, stamped with when its conversion finished', () => {
    const { board, clock, t0 } = setup({ sensorNoiseC: 0.2, ...NO_YEAST });
    expect(board.read().beer?.at).toBe(t0);
    clock.advance(749);
    expect(board.read().beer?.at).toBe(t0);
    clock.advance(1);
    expect(board.read().beer?.at).toBe(t0 + CONVERSION_MS);
    let last = board.read();
    run(clock, 30 * S, 100, () => {
      const f = board.read();
      const at = f.chamber?.at ?? Number.NaN;
      expect((at - t0) % CONVERSION_MS).toBe(0);
      expect(f.at - at).toBeGreaterThanOrEqual(0);
      expect(f.at - at).toBeLessThan(CONVERSION_MS);
      if (at === last.chamber?.at) expect(f.chamber?.value).toBe(last.chamber?.value);
      last = f;
    });
  });

  it('publishes the probe as it was when the conversion started, 750 ms before `at`', () => {
    const t0 = 1_000_000;
    const bank = new Ds18b20Bank(t0, 10, 10, 10, 0, 1);
    const stepTo = (from: number, to: number, c: number) => {
      for (let t = from; t < to; t += 250) bank.step(t, t + 250, 0.25, c, c, c);
    };
    stepTo(t0, t0 + 3000, 10);
    stepTo(t0 + 3000, t0 + 3750, 30);
    // Finished at 3750, started at 3000, just as the temperature began to change.
    expect(bank.finishedAt()).toBe(t0 + 3750);
    expect(bank.value('beer')).toBe(10);
    stepTo(t0 + 3750, t0 + 4500, 30);
    expect(bank.finishedAt()).toBe(t0 + 4500);
    expect(bank.value('beer')).toBeGreaterThan(10);
  });

  it('lags the true temperature: the chamber probe trails a falling chamber', () => {
    const { board, clock } = setup({ sensorNoiseC: 0, ...NO_YEAST }, room(20));
    board.outputs.write({ heat: false, cool: true });
    clock.advance(5 * MIN);
    const trueC = board.truth().chamberC;
    const readC = board.read().chamber?.value ?? Number.NaN;
    expect(readC - trueC).toBeGreaterThan(0.1);
    expect(readC - trueC).toBeLessThan(1.5);
  });

  it('reads the true temperature to within one step at rest, without noise', () => {
    const { board, clock } = setup({ sensorNoiseC: 0, startBeerC: 18.3, ...NO_YEAST }, room(18.3));
    clock.advance(10 * MIN);
    const t = board.truth();
    const f = board.read();
    for (const [trueC, s] of [
      [t.beerC, f.beer],
      [t.chamberC, f.chamber],
      [t.ambientC, f.ambient],
    ] as const) {
      expect(Math.abs(trueC - (s?.value ?? Number.NaN))).toBeLessThanOrEqual(0.03125 + 1e-6);
    }
  });
});
