// The front-end's pure parts, without a browser: unit conversion, the chart's moving window, and the
// bundle budget that fails the build.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bundleBudget, gzippedJsBytes } from '../../../dashboard/web/bundle-budget.js';
import { appendState, emptyColumns } from '../../../dashboard/web/src/chart-data.js';
import { fromCelsius, toCelsius } from '../../../dashboard/web/src/units.js';
import { sampleState } from '../../broker/helpers.js';

describe('temperatures in the reader’s unit', () => {
  it('converts °C to °F and back, rounded to what a probe tells apart', () => {
    expect(fromCelsius(18, 'F')).toBeCloseTo(64.4, 10);
    expect(fromCelsius(-40, 'F')).toBe(-40);
    expect(fromCelsius(18.25, 'C')).toBe(18.25);
    expect(toCelsius(64.4, 'F')).toBe(18);
    expect(toCelsius(65, 'F')).toBe(18.33);
    expect(toCelsius(18.456, 'C')).toBe(18.46);
  });
});

describe('live points on the chart', () => {
  it('appends newer states only, converted, and keeps the window the reader chose', () => {
    const cols = emptyColumns();
    const at = (minute: number) =>
      sampleState('ale', { at: minute * 60_000, beerC: 20 + minute / 10, gravity: null });
    expect(appendState(cols, at(0), 'F', 2 * 60_000)).toBe(true);
    expect(appendState(cols, at(1), 'F', 2 * 60_000)).toBe(true);
    expect(appendState(cols, at(1), 'F', 2 * 60_000)).toBe(false);
    expect(appendState(cols, at(3), 'F', 2 * 60_000)).toBe(true);
    expect(cols.t).toEqual([60_000, 180_000]);
    expect(cols.values.beerC[0]).toBeCloseTo(fromCelsius(20.1, 'F'), 10);
    expect(cols.values.gravity).toEqual([null, null]);
  });

  it('carries the outputs as 1 while on and 0 while off, for the bands under the lines', () => {
    const cols = emptyColumns();
    appendState(cols, sampleState('ale', { at: 0, outputs: { heat: false, cool: true } }), 'C', null);
    appendState(cols, sampleState('ale', { at: 1000, outputs: { heat: true, cool: false } }), 'F', null);
    expect(cols.values.cool).toEqual([1, 0]);
    expect(cols.values.heat).toEqual([0, 1]);
  });

  it('keeps everything for the whole brew', () => {
    const cols = emptyColumns();
    for (let h = 0; h < 100; h++) appendState(cols, sampleState('ale', { at: h * 3_600_000 }), 'C', null);
    expect(cols.t).toHaveLength(100);
  });
});

describe('bundle budget', () => {
  const chunk = (bytes: number) => ({ type: 'chunk', code: 'x'.repeat(bytes) });
  // Random text hardly compresses: 4000 random bytes stay above 1 KB gzipped.
  const incompressible = () => ({ type: 'chunk', code: randomBytes(4000).toString('base64') });

  it('weighs every JavaScript chunk gzipped, and nothing else', () => {
    const small = gzippedJsBytes({ 'a.js': chunk(10_000) });
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(200);
    expect(gzippedJsBytes({ 'a.js': chunk(10_000), 'b.css': { type: 'asset' } })).toBe(small);
    expect(gzippedJsBytes({ 'a.js': chunk(10_000), 'b.js': chunk(10_000) })).toBe(2 * small);
  });

  it('fails the build above the budget and names the measured size', () => {
    const plugin = bundleBudget(1000);
    const errors: string[] = [];
    const context = {
      error: (message: string) => {
        errors.push(message);
        throw new Error(message);
      },
    };
    const generate = plugin.generateBundle as (this: unknown, o: unknown, b: unknown) => void;
    expect(() => generate.call(context, {}, { 'a.js': incompressible() })).toThrow(/over budget/);
    expect(errors[0]).toMatch(/^JavaScript shipped: \d+\.\d KB gzip \(budget 1 KB\): over budget/);
    expect(() => generate.call(context, {}, { 'a.js': chunk(5000) })).not.toThrow();
  });
});
