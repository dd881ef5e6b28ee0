import { describe, expect, it } from 'vitest';
import {
  ibuRager,
  ibuTinseth,
  ragerUtilisation,
  tinsethUtilisation,
} from '../../../recipes/calc/bitterness.js';
import { maltColourUnits, moreySrm, srmToEbc } from '../../../recipes/calc/colour.js';
import { abv, finalGravity, originalGravity } from '../../../recipes/calc/gravity.js';
import {
  boilGravity,
  calculate,
  RecipeIncompleteError,
  roundFigures,
  STEEPED_GRAIN_YIELD,
} from '../../../recipes/calc/index.js';
import type { FermentableAddition } from '../../../recipes/formats/beerjson-types.js';
import type { Recipe } from '../../../recipes/formats/index.js';
import { platoToSg } from '../../../recipes/formats/units.js';

const LB = 0.45359237;
const GAL = 3.785411784;

describe('published worked values', () => {
  it("Tinseth's utilisation table", () => {
    // Glenn Tinseth's table: 0.231 at 60 min and 1.050; 0.276 at 60 min and 1.030; 0.177 at 30 min and 1.050.
    expect(tinsethUtilisation(1.05, 60)).toBeCloseTo(0.2307, 4);
    expect(tinsethUtilisation(1.03, 60)).toBeCloseTo(0.276, 3);
    expect(tinsethUtilisation(1.05, 30)).toBeCloseTo(0.177, 3);
    expect(tinsethUtilisation(1.05, 0)).toBe(0);
  });

  it("Rager's utilisation table (the tanh fit of it, within a point)", () => {
    // Rager (Zymurgy 1990): 5 % up to 5 min, 8 % at 11-15 min, 26.9 % at 41-45 min, 30 % at 51-60 min.
    const within1 = (minutes: number, percent: number) =>
      expect(Math.abs(ragerUtilisation(minutes) * 100 - percent), `${minutes} min`).toBeLessThan(1);
    within1(5, 5);
    within1(15, 8);
    within1(45, 26.9);
    within1(60, 30);
  });

  it('Plato to specific gravity: 12 °P is 1.048', () => {
    expect(platoToSg(12)).toBeCloseTo(1.0484, 4);
  });

  it('IBU: 28 g of 10 % alpha hops boiled 60 min in 20 L of 1.050 wort', () => {
    const hops = [{ grams: 28, alpha: 0.1, minutes: 60 }];
    // Tinseth: 0.2307 × 0.1 × 28 000 / 20 = 32.3; Rager: 30.82 % × 2800 / 20 / (1 + 0) = 43.1.
    expect(ibuTinseth(hops, 1.05, 20)).toBeCloseTo(32.3, 1);
    expect(ibuRager(hops, 1.05, 20)).toBeCloseTo(43.1, 1);
    // Rager's gravity adjustment above 1.050: (1.070 − 1.050) / 0.2 = 0.1.
    expect(ibuRager(hops, 1.07, 20)).toBeCloseTo(43.1 / 1.1, 1);
  });

  it('OG from points per pound per gallon: 8 lb of 37 ppg malt in 5 gal at 75 % is 1.044', () => {
    // 8 × 37 × 0.75 / 5 = 44.4 gravity units (Palmer's How to Brew method).
    const og = originalGravity([{ kg: 8 * LB, potentialSg: 1.037, efficiency: 0.75 }], 5 * GAL);
    expect(og).toBeCloseTo(1.0444, 4);
  });

  it('FG from apparent attenuation, ABV by (OG − FG) × 131.25', () => {
    expect(finalGravity(1.05, 0.75)).toBeCloseTo(1.0125, 6);
    expect(abv(1.05, 1.01)).toBeCloseTo(5.25, 6);
  });

  it('Morey: 10 lb at 2 °L and 1 lb at 60 °L in 5 gal (MCU 16) is 10.0 SRM, 19.7 EBC', () => {
    const mcu = maltColourUnits(
      [
        { kg: 10 * LB, lovibond: 2 },
        { kg: 1 * LB, lovibond: 60 },
      ],
      5 * GAL,
    );
    expect(mcu).toBeCloseTo(16, 6);
    expect(moreySrm(mcu)).toBeCloseTo(9.99, 2);
    expect(srmToEbc(moreySrm(mcu))).toBeCloseTo(19.69, 2);
  });
});

/** A pale ale written in SI; the same recipe in US units must give the same figures. */
function paleAle(units: 'si' | 'us'): Recipe {
  const si = units === 'si';
  return {
    name: 'Pale',
    type: 'all grain',
    author: 'test',
    batch_size: si ? { unit: 'l', value: 20 } : { unit: 'gal', value: 20 / GAL },
    efficiency: { brewhouse: { unit: '%', value: 72 } },
    boil: { boil_time: { unit: 'min', value: 60 } },
    ingredients: {
      fermentable_additions: [
        {
          name: 'Pale malt',
          type: 'grain',
          yield: { potential: { unit: 'sg', value: 1.037 } },
          color: si ? { unit: 'EBC', value: 5.91 } : { unit: 'Lovi', value: 3 },
          amount: si ? { unit: 'kg', value: 4 } : { unit: 'lb', value: 4 / LB },
        },
        {
          name: 'Sugar',
          type: 'sugar',
          yield: { potential: { unit: 'sg', value: 1.046 } },
          color: { unit: 'SRM', value: 0 },
          amount: si ? { unit: 'g', value: 300 } : { unit: 'oz', value: 300 / ((LB * 1000) / 16) },
        },
      ],
      hop_additions: [
        {
          name: 'Bittering',
          alpha_acid: { unit: '%', value: 10 },
          amount: si ? { unit: 'g', value: 28 } : { unit: 'oz', value: 28 / ((LB * 1000) / 16) },
          timing: { use: 'add_to_boil', time: si ? { unit: 'min', value: 60 } : { unit: 'hr', value: 1 } },
        },
        {
          name: 'Dry',
          alpha_acid: { unit: '%', value: 10 },
          amount: { unit: 'g', value: 50 },
          timing: { use: 'add_to_fermentation', duration: { unit: 'day', value: 4 } },
        },
      ],
      culture_additions: [{ name: 'Ale', type: 'ale', form: 'dry', attenuation: { unit: '%', value: 77 } }],
    },
  };
}

describe('calculate', () => {
  it('works in SI whatever units the recipe uses', () => {
    const a = calculate(paleAle('si'));
    const b = calculate(paleAle('us'));
    for (const k of Object.keys(a) as (keyof typeof a)[]) expect(b[k], k).toBeCloseTo(a[k], 3);
  });

  it('applies the brewhouse efficiency to grain only, and ignores dry hops for bitterness', () => {
    const f = calculate(paleAle('si'));
    const points = (0.037 * 1000 * 4 * 0.72 + 0.046 * 1000 * 0.3) * (GAL / LB);
    expect(f.og).toBeCloseTo(1 + points / 20 / 1000, 6);
    expect(f.fg).toBeCloseTo(1 + (f.og - 1) * 0.23, 6);
    expect(f.abv).toBeCloseTo((f.og - f.fg) * 131.25, 6);
    expect(f.ibuTinseth).toBeCloseTo((tinsethUtilisation(f.og, 60) * 0.1 * 28_000) / 20, 6);
    expect(f.ebc).toBeCloseTo(f.srm * 1.97, 9);
    // By hand: (37 × 4 kg × 0.72 + 46 × 0.3 kg) × 8.3454 / 20 L = 50.2 points; MCU = 26.46 lb·°L / 5.28 gal = 5.01.
    expect(roundFigures(f)).toEqual({
      og: 1.0502,
      fg: 1.0116,
      abv: 5.08,
      ibuTinseth: 32.2,
      ibuRager: 43.1,
      srm: 4.5,
      ebc: 8.9,
    });
  });

  it('counts grain an extract recipe steeps at the steeping yield, and grain it mashes at the efficiency', () => {
    const points = (share: number) => (0.037 * 1000 * 4 * share + 0.046 * 1000 * 0.3) * (GAL / LB);
    const r = paleAle('si');
    r.type = 'extract';
    expect(calculate(r).og).toBeCloseTo(1 + points(STEEPED_GRAIN_YIELD) / 20 / 1000, 9);
    const malt = r.ingredients.fermentable_additions[0] as FermentableAddition;
    malt.timing = { use: 'add_to_mash' };
    expect(calculate(r).og).toBeCloseTo(1 + points(0.72) / 20 / 1000, 9);
    delete malt.timing;
    r.type = 'partial mash';
    expect(calculate(r).og).toBeCloseTo(1 + points(0.72) / 20 / 1000, 9);
  });

  it('boils hops at the mean of the pre-boil gravity and the OG when the pre-boil volume is known', () => {
    const r = paleAle('si');
    r.boil = { boil_time: { unit: 'min', value: 60 }, pre_boil_size: { unit: 'l', value: 25 } };
    const og = calculate(r).og;
    const mean = (1 + ((og - 1) * 20) / 25 + og) / 2;
    expect(boilGravity(r, og, 20)).toBeCloseTo(mean, 9);
    expect(calculate(r).ibuTinseth).toBeCloseTo((tinsethUtilisation(mean, 60) * 0.1 * 28_000) / 20, 6);
  });

  it('boils the hops of a partial boil (topped up afterwards) in the concentrated wort', () => {
    const r = paleAle('si');
    r.boil = { boil_time: { unit: 'min', value: 60 }, pre_boil_size: { unit: 'l', value: 12 } };
    const og = calculate(r).og;
    // The same extract in 12 L instead of the 20 L batch: (OG − 1) × 20 / 12.
    const kettle = 1 + ((og - 1) * 20) / 12;
    expect(boilGravity(r, og, 20)).toBeCloseTo(kettle, 9);
    expect(calculate(r).ibuTinseth).toBeCloseTo((tinsethUtilisation(kettle, 60) * 0.1 * 28_000) / 20, 6);
    r.boil = { boil_time: { unit: 'min', value: 60 }, pre_boil_size: { unit: 'l', value: 20 } };
    expect(boilGravity(r, og, 20)).toBe(og);
  });

  it('reads first-wort and whirlpool hops from the boil step they go in at', () => {
    const r = paleAle('si');
    const F = (v: number) => ({ unit: 'F', value: v });
    r.boil = {
      boil_time: { unit: 'min', value: 60 },
      boil_steps: [
        { name: 'heat', start_temperature: F(154), end_temperature: F(212) },
        { name: 'boil', start_temperature: F(212), end_temperature: F(212) },
        { name: 'whirlpool', start_temperature: F(212), end_temperature: F(180) },
      ],
    };
    const hop = r.ingredients.hop_additions?.[0];
    if (hop === undefined) throw new Error('recipe changed');
    hop.timing = { use: 'add_to_boil', time: { unit: 'min', value: 20 }, step: 1 };
    const firstWort = calculate(r).ibuTinseth;
    hop.timing = { use: 'add_to_boil', time: { unit: 'min', value: 60 } };
    expect(firstWort).toBeCloseTo(calculate(r).ibuTinseth, 9);
    hop.timing = { use: 'add_to_boil', time: { unit: 'min', value: 20 }, step: 3 };
    expect(calculate(r).ibuTinseth).toBe(0);
  });

  it('counts a whirlpool hop at the utilisation the recipe states, in both methods', () => {
    const r = paleAle('si');
    const hop = r.ingredients.hop_additions?.[0];
    if (hop === undefined) throw new Error('recipe changed');
    hop.timing = {
      use: 'add_to_boil',
      time: { unit: 'min', value: 0 },
      duration: { unit: 'min', value: 20 },
    };
    const none = calculate(r);
    expect(none.ibuTinseth).toBe(0);
    hop.utilization = { unit: '%', value: 10 };
    // 10 % of 28 g at 10 % alpha in 20 L: 14 mg/L, whatever the boil gravity.
    expect(calculate(r).ibuTinseth).toBeCloseTo(14, 9);
    expect(calculate(r).ibuRager).toBeCloseTo(14, 9);
    // Only a whirlpool hop: a boiled one keeps its model's utilisation.
    hop.timing = { use: 'add_to_boil', time: { unit: 'min', value: 60 } };
    const boiled = calculate(r).ibuTinseth;
    delete hop.utilization;
    expect(calculate(r).ibuTinseth).toBe(boiled);
    // Out of 0-100 % or not in %, it is not a utilisation.
    hop.timing = {
      use: 'add_to_boil',
      time: { unit: 'min', value: 0 },
      duration: { unit: 'min', value: 20 },
    };
    hop.utilization = { unit: '%', value: 500 };
    expect(calculate(r).ibuTinseth).toBe(none.ibuTinseth);
  });

  it('uses 75 % attenuation when no culture states one', () => {
    const r = paleAle('si');
    r.ingredients.culture_additions = [];
    const f = calculate(r);
    expect(f.fg).toBeCloseTo(1 + (f.og - 1) * 0.25, 9);
  });

  it('refuses a recipe without a batch size, saying what to set', () => {
    const r = paleAle('si');
    r.batch_size = { unit: 'l', value: 0 };
    expect(() => calculate(r)).toThrow(RecipeIncompleteError);
    expect(() => calculate(r)).toThrow('Cannot calculate "Pale": its batch size is zero; set batch_size');
  });
});
