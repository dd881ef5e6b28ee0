import { describe, expect, it } from 'vitest';
import { activityAfter, INITIAL_ACTIVITY, yeastRate } from '../../../firmware-bridge/sim/yeast.js';
import { DAY, H, room, run, setup } from './helpers.js';

/** Ferment with the beer held near `beerC` by a simple thermostat on the true temperature. */
function ferment(beerC: number, days: number) {
  const { board, clock, t0 } = setup(
    { startBeerC: beerC, heaterMount: 'vessel', originalGravity: 1.05, finalGravity: 1.012, volumeL: 20 },
    room(beerC),
  );
  let peakW = 0;
  let peakDay = 0;
  let lastGravity = board.truth().gravity;
  let gravityRose = false;
  const startGravity = lastGravity;
  run(clock, days * DAY, 10_000, () => {
    const t = board.truth();
    board.outputs.write({ heat: t.beerC < beerC - 0.1, cool: t.beerC > beerC + 0.1 });
    if (t.fermentationW > peakW) [peakW, peakDay] = [t.fermentationW, (clock.now() - t0) / DAY];
    if (t.gravity > lastGravity) gravityRose = true;
    lastGravity = t.gravity;
  });
  return { peakW, peakDay, startGravity, endGravity: lastGravity, gravityRose };
}

describe('fermentation', () => {
  it('peaks around day 2-3 for an ale at 18 °C with a plausible heat output, and reaches FG', () => {
    const r = ferment(18, 10);
    expect(r.peakDay).toBeGreaterThan(1.5);
    expect(r.peakDay).toBeLessThan(3.5);
    expect(r.peakW).toBeGreaterThan(7);
    expect(r.peakW).toBeLessThan(13);
    expect(r.startGravity).toBeCloseTo(1.05, 9);
    expect(r.endGravity).toBeCloseTo(1.012, 4);
    expect(r.gravityRose).toBe(false);
  });

  it('runs a little faster and hotter at 20 °C', () => {
    const at18 = ferment(18, 6);
    const at20 = ferment(20, 6);
    expect(at20.peakDay).toBeGreaterThan(1.5);
    expect(at20.peakDay).toBeLessThan(at18.peakDay);
    expect(at20.peakW).toBeGreaterThan(at18.peakW);
    expect(at20.peakW).toBeLessThan(13);
  });

  it('is much slower for a lager at 10 °C', () => {
    const lager = ferment(10, 12);
    expect(lager.peakDay).toBeGreaterThan(3.5);
    expect(lager.peakW).toBeLessThan(7);
    expect(lager.endGravity).toBeCloseTo(1.012, 3);
  });

  it('releases nothing before pitching when the pitch is still ahead', () => {
    const { board, clock } = setup({ startBeerC: 18, fermentationDelayH: -24 }, room(18));
    clock.advance(23 * H);
    expect(board.truth().fermentationW).toBe(0);
    expect(board.truth().gravity).toBe(1.05);
    clock.advance(2 * H);
    expect(board.truth().fermentationW).toBeGreaterThan(0);
  });

  it('starts further along when the yeast was pitched before the simulation', () => {
    const fresh = setup({ startBeerC: 18, fermentationDelayH: 0 }, room(18)).board.truth();
    const twoDays = setup({ startBeerC: 18, fermentationDelayH: 48 }, room(18)).board.truth();
    expect(twoDays.fermentationW).toBeGreaterThan(10 * fresh.fermentationW);
    expect(twoDays.gravity).toBeLessThan(1.045);
  });
});

describe('yeast rate', () => {
  it('doubles every 10 °C and stops towards freezing', () => {
    expect(yeastRate(28) / yeastRate(18)).toBeCloseTo(2, 9);
    expect(yeastRate(18)).toBeCloseTo(3e-5, 12);
    expect(yeastRate(0)).toBe(0);
    expect(yeastRate(2)).toBeLessThan(yeastRate(4) / 2);
  });

  it('has a closed form that matches stepping the logistic equation', () => {
    const k = yeastRate(18);
    let a = INITIAL_ACTIVITY;
    for (let s = 0; s < 2 * 86_400; s++) a += k * a * (1 - a);
    expect(a).toBeCloseTo(activityAfter(INITIAL_ACTIVITY, k, 2 * 86_400), 3);
  });
});
