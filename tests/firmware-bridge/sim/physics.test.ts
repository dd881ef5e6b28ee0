import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../common/clock.js';
import type { SimBoard } from '../../../firmware-bridge/sim/sim-board.js';
import { H, MIN, NO_YEAST, room, run, S, START, setup } from './helpers.js';

/** Hours until the beer is halfway from its start to the room, sampled every 6 minutes. */
function beerHalfLifeH(board: SimBoard, clock: ManualClock, roomC: number): number {
  const half = Math.abs(board.truth().beerC - roomC) / 2;
  for (let h = 0.1; h < 100; h += 0.1) {
    clock.advance(6 * MIN);
    if (Math.abs(board.truth().beerC - roomC) <= half) return h;
  }
  return Number.POSITIVE_INFINITY;
}

describe('passive thermal behaviour', () => {
  it('lets the beer drift to the room over about a day in a closed, insulated fridge', () => {
    const { board, clock } = setup({ startBeerC: 30, ...NO_YEAST }, room(20));
    const halfLife = beerHalfLifeH(board, clock, 20);
    expect(halfLife).toBeGreaterThan(12);
    expect(halfLife).toBeLessThan(40);
    expect(board.truth().beerC).toBeGreaterThan(20);
  });

  it('gives the beer a time constant of hours once the cabinet is out of the way (door open)', () => {
    const { board, clock } = setup({ startBeerC: 30, ...NO_YEAST }, room(20));
    board.inject({ kind: 'door-open' });
    const halfLife = beerHalfLifeH(board, clock, 20);
    expect(halfLife).toBeGreaterThan(3);
    expect(halfLife).toBeLessThan(15);
  });

  it('integrates identically whether read every second or once', () => {
    const a = setup({ ...NO_YEAST, startBeerC: 25 });
    const b = setup({ ...NO_YEAST, startBeerC: 25 });
    for (const s of [a, b]) s.board.outputs.write({ heat: false, cool: true });
    run(a.clock, 2 * H, S, () => a.board.read());
    b.clock.advance(2 * H);
    expect(b.board.truth()).toEqual(a.board.truth());
    expect(b.board.read()).toEqual(a.board.read());
  });
});

describe('compressor', () => {
  it('pulls the chamber down several degrees in 10 minutes with the evaporator well below it', () => {
    const { board, clock } = setup({ startBeerC: 20, ...NO_YEAST }, room(20));
    board.outputs.write({ heat: false, cool: true });
    clock.advance(10 * MIN);
    const t = board.truth();
    expect(t.chamberC).toBeLessThan(17);
    expect(t.chamberC - t.evaporatorC).toBeGreaterThan(8);
    expect(t.chamberC - t.evaporatorC).toBeLessThan(13);
    expect(t.beerC).toBeGreaterThan(19.9);
  });

  it('keeps cooling the chamber for a minute or more after it stops (evaporator lag), then lets it rise', () => {
    const { board, clock } = setup({ startBeerC: 20, ...NO_YEAST }, room(20));
    board.outputs.write({ heat: false, cool: true });
    clock.advance(10 * MIN);
    board.outputs.write({ heat: false, cool: false });
    const stop = clock.now();
    const atStop = board.truth().chamberC;
    let min = atStop;
    let minAt = stop;
    run(clock, 30 * MIN, 10 * S, () => {
      const c = board.truth().chamberC;
      if (c < min) [min, minAt] = [c, clock.now()];
    });
    expect(atStop - min).toBeGreaterThan(0.1);
    expect(minAt - stop).toBeGreaterThanOrEqual(MIN);
    expect(minAt - stop).toBeLessThan(10 * MIN);
    expect(board.truth().chamberC).toBeGreaterThan(min + 0.5);
  });

  it('cannot drive the cabinet to absurd temperatures when left on for days', () => {
    const { board, clock } = setup({ startBeerC: 20, ...NO_YEAST }, room(20));
    board.outputs.write({ heat: false, cool: true });
    clock.advance(72 * H);
    expect(board.truth().evaporatorC).toBeGreaterThan(-35);
  });
});

describe('heater', () => {
  const heatOneHour = (mount: 'chamber' | 'vessel') => {
    const { board, clock } = setup({ startBeerC: 20, heaterMount: mount, ...NO_YEAST }, room(20));
    board.outputs.write({ heat: true, cool: false });
    clock.advance(H);
    const t = board.truth();
    return { beerRise: t.beerC - 20, chamberRise: t.chamberC - 20 };
  };

  it('warms the chamber air when mounted in the chamber', () => {
    const { beerRise, chamberRise } = heatOneHour('chamber');
    expect(chamberRise).toBeGreaterThan(5);
    expect(beerRise).toBeGreaterThan(0.2);
  });

  it('warms the beer much faster as a heat wrap on the vessel', () => {
    const chamber = heatOneHour('chamber');
    const vessel = heatOneHour('vessel');
    expect(vessel.beerRise).toBeGreaterThan(3 * chamber.beerRise);
    expect(vessel.chamberRise).toBeLessThan(chamber.chamberRise);
  });

  it('lags a little: the element needs time to warm up', () => {
    const { board, clock } = setup({ startBeerC: 20, ...NO_YEAST }, room(20));
    board.outputs.write({ heat: true, cool: false });
    clock.advance(10 * S);
    const early = board.truth().chamberC - 20;
    clock.advance(50 * S);
    const later = board.truth().chamberC - 20;
    expect(early).toBeGreaterThan(0);
    expect(later / 6).toBeGreaterThan(2 * early);
  });
});

describe('energy accounting', () => {
  it('counts 100 Wh for one hour of a 100 W heater, and the compressor separately', () => {
    const { board, clock } = setup({ heaterW: 100, compressorW: 90, ...NO_YEAST });
    board.outputs.write({ heat: true, cool: false });
    run(clock, H, 375);
    board.outputs.write({ heat: false, cool: true });
    clock.advance(30 * MIN);
    board.outputs.write({ heat: false, cool: false });
    clock.advance(H);
    const { energyWh } = board.truth();
    expect(energyWh.heat).toBeCloseTo(100, 6);
    expect(energyWh.cool).toBeCloseTo(45, 6);
  });

  it('switches outputs at the moment of the write, between integration steps', () => {
    const { board, clock } = setup({ heaterW: 100, ...NO_YEAST });
    clock.advance(1500);
    board.outputs.write({ heat: true, cool: false });
    clock.advance(2250);
    board.outputs.write({ heat: false, cool: false });
    clock.advance(10 * S);
    expect(board.truth().energyWh.heat).toBeCloseTo((100 * 2.25) / 3600, 9);
  });
});

describe('ambient', () => {
  it('swings daily around the mean, coldest at 05:00 UTC and warmest at 17:00', () => {
    const { board, clock, t0 } = setup({ ambientMeanC: 20, ambientSwingC: 3 });
    expect(new Date(t0).getUTCHours()).toBe(0);
    clock.advance(5 * H);
    expect(board.truth().ambientC).toBeCloseTo(17, 9);
    clock.advance(12 * H);
    expect(board.truth().ambientC).toBeCloseTo(23, 9);
    clock.advance(6 * H);
    expect(board.truth().ambientC).toBeGreaterThan(17);
    expect(board.truth().ambientC).toBeLessThan(23);
  });

  it('follows a scenario function instead when one is given', () => {
    const { board, clock } = setup({}, { ambient: (t) => 12 + (t - START) / H });
    clock.advance(4 * H);
    expect(board.truth().ambientC).toBeCloseTo(16, 9);
  });

  it('pulls a passive chamber towards a warm room', () => {
    const { board, clock } = setup({ startBeerC: 18, ...NO_YEAST }, room(28));
    clock.advance(12 * H);
    const t = board.truth();
    expect(t.chamberC).toBeGreaterThan(t.beerC);
    expect(t.wallC).toBeGreaterThan(t.chamberC);
  });
});
