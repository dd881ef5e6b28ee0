// The thermal model learnt online converges, on simulated fermenters of different sizes, to the
// simulator's own beer time constant (its heat capacity over its coupling to the air) and to a
// fermentation heat of zero for a finished beer, from nothing but the readings and the outputs applied.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../common/clock.js';
import { SLOW_TRANSPORT_S } from '../../../firmware-bridge/control/cascade.js';
import { ModelController } from '../../../firmware-bridge/control/model-controller.js';
import { ThermalModel } from '../../../firmware-bridge/control/thermal-model.js';
import { Fermenter } from '../../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../../firmware-bridge/sim/sim-board.js';
import type { FermenterState } from '../../../firmware-bridge/types.js';

/** The simulator's beer heat capacity per litre (wort and vessel), J/K (firmware-bridge/sim/physics.ts). */
const BEER_J_PER_L_K = 4180 + 125;

interface Fridge {
  volumeL: number;
  coolerW: number;
  heaterW: number;
  thermal?: Record<string, number>;
}

/** 24 h holding a finished beer at 18 °C, then 24 h at 12 °C, in a room swinging 17–23 °C. */
function learn(
  fridge: Fridge,
  slowFridgePulses = false,
): { states: FermenterState[]; trueBeerTauH: number; model: ThermalModel } {
  const clock = new ManualClock();
  const config = checkFermenterConfig({
    id: 'm',
    name: 'm',
    board: {
      type: 'sim',
      ...fridge,
      startBeerC: 18,
      ambientMeanC: 20,
      ambientSwingC: 3,
      originalGravity: 1.01,
      finalGravity: 1.01,
    },
    control: {
      mode: 'profile',
      profile: [
        { type: 'hold', targetC: 18, durationH: 24 },
        { type: 'hold', targetC: 12, durationH: 24 },
      ],
      slowFridgePulses,
    },
  });
  if (config.board.type !== 'sim') throw new TypeError('a sim board was expected');
  const board = config.board;
  const fermenter = new Fermenter(config, new SimBoard(board, clock), clock);
  const states: FermenterState[] = [];
  for (let s = 1; s <= 48 * 3600; s++) {
    clock.advance(1000);
    const state = fermenter.tick();
    if (s % 3600 === 0) states.push(state);
  }
  const beerUA = board.thermal.beerUAAt20L * (board.volumeL / 20) ** (2 / 3);
  const { controller } = fermenter;
  if (!(controller instanceof ModelController)) throw new TypeError('the model controller was expected');
  return { states, trueBeerTauH: (board.volumeL * BEER_J_PER_L_K) / beerUA / 3600, model: controller.model };
}

describe('thermal model learnt online', () => {
  it.each([
    ['a 5 L bar fridge', { volumeL: 5, coolerW: 80, heaterW: 40, thermal: { chamberJPerK: 6000 } }],
    ['a 20 L fermenter in the default fridge', { volumeL: 20, coolerW: 150, heaterW: 100 }],
    [
      'a 60 L fermenter in an upright fridge',
      { volumeL: 60, coolerW: 200, heaterW: 200, thermal: { chamberJPerK: 30_000, wallJPerK: 60_000 } },
    ],
  ])('converges on %s to the true beer time constant within 20 %%', { timeout: 60_000 }, (_, fridge) => {
    const { states, trueBeerTauH } = learn(fridge);
    const first = states[0]?.thermalModel;
    expect(first?.converged).toBe(false);
    const model = states.at(-1)?.thermalModel;
    expect(model?.converged).toBe(true);
    expect(model?.heatConverged).toBe(true);
    expect(model?.confidence).toBeGreaterThan(0.9);
    expect(model?.learntH).toBeCloseTo(48, 0);
    const tau = model?.beerTauH ?? Number.NaN;
    expect(Math.abs(tau - trueBeerTauH) / trueBeerTauH).toBeLessThan(0.2);
    // A finished beer makes no heat of its own.
    expect(Math.abs(model?.fermentationCPerH ?? Number.NaN)).toBeLessThan(0.02);
    expect(model?.coolingCPerH).toBeLessThan(-5);
    expect(model?.heatingCPerH).toBeGreaterThan(2);
    expect(model?.chamberTauH).toBeLessThan(tau / 4);
    expect(model?.residualC.beer).toBeLessThan(0.02);
    expect(model?.residualC.chamber).toBeLessThan(0.1);
  });

  it('learns how long the air takes to answer the compressor: slow on a slow coil, quick in the default fridge', {
    timeout: 60_000,
  }, () => {
    expect(new ThermalModel({ vesselHeater: false }).transportS()).toBe(0);
    const quick = learn({ volumeL: 20, coolerW: 150, heaterW: 100 }).model.transportS();
    // The fridge fitted to the real Kölsch log (bench/control/fermenters.ts), its pulses sized from what is learnt.
    const kolsch = {
      ...{ beerUAAt20L: 1.6, chamberJPerK: 8700, wallJPerK: 42_300, evaporatorJPerK: 2800 },
      ...{ chamberWallUA: 5.44, wallRoomUA: 2.73, evaporatorUA: 1, compressorDelayS: 0, leakUA: 0 },
    };
    const slow = learn({ volumeL: 20, coolerW: 45.5, heaterW: 41, thermal: kolsch }, true).model.transportS();
    expect(quick).toBeGreaterThan(0);
    expect(quick).toBeLessThan(SLOW_TRANSPORT_S);
    expect(slow).toBeGreaterThanOrEqual(SLOW_TRANSPORT_S);
  });

  it('learns the coast gain of free and braked coasts apart, from its own priors', () => {
    const model = new ThermalModel({ vesselHeater: false });
    expect(model.coastGain()).toBe(1);
    expect(model.coastGain(true)).toBe(1.35);
    model.learnCoast(0.5, 0.8, true);
    expect(model.coastGain(true)).toBeCloseTo((1.35 + 1.6) / 2, 9);
    expect(model.coastGain()).toBe(1);
    model.learnCoast(0.5, 0.4);
    expect(model.coastGain()).toBeCloseTo(0.9, 9);
    // Too short a coast to learn from.
    model.learnCoast(0.1, 0.3, true);
    expect(model.coastGain(true)).toBeCloseTo(1.475, 9);
    // Nothing learnt yet: nothing to brake with.
    expect(model.canBrake(-1)).toBe(false);
    expect(model.canBrake(1)).toBe(false);
  });
});
