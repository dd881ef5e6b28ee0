// The PicoBrew Zymatic rule (docs/recipes.md, "PicoBrew Zymatic") against PicoBrew's own published recipes,
// which played no part in fitting its constant.
import { describe, expect, it } from 'vitest';
import { calculate } from '../../../recipes/calc/index.js';
import { brewhouseForOg, isZymaticRecipe, zymaticOg } from '../../../recipes/calc/zymatic.js';
import type { FermentableAddition } from '../../../recipes/formats/beerjson-types.js';
import type { Recipe } from '../../../recipes/formats/index.js';

const GAL = 3.785411784;

const malt = (lb: number, potential: number, type = 'grain'): FermentableAddition => ({
  name: `${type} ${potential}`,
  type,
  yield: { potential: { unit: 'sg', value: potential } },
  color: { unit: 'Lovi', value: 2 },
  amount: { unit: 'lb', value: lb },
});

/**
 * PicoBrew's Zymatic base recipes (chiefwigms/picobrew_pico, app/static/support/base_recipes/zymatic/):
 * grain bill (lb at its potential gravity), start water (gal) and OG as their notes give them, for a
 * 2.5 gal batch. Hazy IPA and Weissbier give their potentials in another form and are left out.
 */
const BASE_RECIPES: { name: string; startWaterGal: number; og: number; bill: FermentableAddition[] }[] = [
  {
    name: 'American Amber Ale',
    startWaterGal: 3.65,
    og: 1.069,
    bill: [
      malt(7, 1.0368),
      malt(0.5, 1.0366),
      malt(0.5, 1.034),
      malt(0.3, 1.033),
      malt(0.2, 1.0276),
      malt(0.3, 1.0336),
    ],
  },
  {
    name: 'American Brown Ale',
    startWaterGal: 3.55,
    og: 1.058,
    bill: [
      malt(5, 1.0368),
      malt(0.5, 1.033),
      malt(0.5, 1.034),
      malt(0.25, 1.0276),
      malt(0.5, 1.0385),
      malt(0.25, 1.0316),
    ],
  },
  { name: 'American IPA', startWaterGal: 3.6, og: 1.065, bill: [malt(7, 1.0368), malt(1, 1.0366)] },
  { name: 'American Lager', startWaterGal: 3.36, og: 1.055, bill: [malt(5, 1.0368), malt(1, 1.0396)] },
  { name: 'American Pale Ale', startWaterGal: 3.5, og: 1.062, bill: [malt(7, 1.0368), malt(0.35, 1.034)] },
  {
    name: 'American Porter',
    startWaterGal: 3.59,
    og: 1.066,
    bill: [
      malt(3.5, 1.036),
      malt(3, 1.0368),
      malt(0.375, 1.0327),
      malt(0.3, 1.0336),
      malt(0.25, 1.0316),
      malt(0.2, 1.033),
      malt(0.35, 1.0297),
      malt(0.5, 1.033),
    ],
  },
  {
    name: 'Imperial IPA',
    startWaterGal: 3.74,
    og: 1.092,
    bill: [malt(7.5, 1.0368), malt(1, 1.0366), malt(0.5, 1.0385), malt(2, 1.0437, 'dry extract')],
  },
  {
    name: 'Imperial Stout',
    startWaterGal: 3.61,
    og: 1.065,
    bill: [
      malt(6, 1.0368),
      malt(0.35, 1.0276),
      malt(0.24, 1.033),
      malt(0.35, 1.034),
      malt(0.25, 1.0327),
      malt(1, 1.0366),
    ],
  },
  {
    name: 'Irish Red Ale',
    startWaterGal: 3.6,
    og: 1.068,
    bill: [malt(7.5, 1.0368), malt(0.2, 1.033), malt(0.25, 1.0336), malt(0.5, 1.0366), malt(0.05, 1.0297)],
  },
  {
    name: 'Saison',
    startWaterGal: 3.63,
    og: 1.075,
    bill: [
      malt(5.07, 1.036),
      malt(1.279, 1.037),
      malt(2.54, 1.036),
      malt(0.044, 1.0297),
      malt(0.5, 1.045, 'sugar'),
    ],
  },
];

describe("the Recipe Crafter's OG for a Zymatic", () => {
  it.each(BASE_RECIPES)("gives PicoBrew's own OG for its $name base recipe, within 0.003", (r) => {
    expect(Math.abs(zymaticOg(r.bill, r.startWaterGal * GAL) - r.og)).toBeLessThanOrEqual(0.003);
  });

  it('counts sugars and extracts whole, the grain at its conversion efficiency', () => {
    const grain = zymaticOg([malt(8, 1.037)], 14);
    const sugar = zymaticOg([malt(8, 1.037, 'sugar')], 14);
    expect(sugar).toBeGreaterThan(grain + 0.004);
  });
});

describe('carrying the rule as a brewhouse efficiency', () => {
  const recipe = (bill: FermentableAddition[], brewhouse: number): Recipe => ({
    name: 'Zymatic',
    type: 'all grain',
    author: 'test',
    batch_size: { unit: 'l', value: 9.46 },
    efficiency: { brewhouse: { unit: '%', value: brewhouse } },
    ingredients: { fermentable_additions: bill },
  });

  it("gives the rule's OG in the batch by cobrew's own calculation, sugars included", () => {
    const bill = [malt(7, 1.0368), malt(1, 1.0366), malt(0.5, 1.046, 'sugar')];
    const og = zymaticOg(bill, 13.9);
    const brewhouse = brewhouseForOg(bill, 9.46, og) as number;
    expect(brewhouse).toBeGreaterThan(40);
    expect(brewhouse).toBeLessThan(70);
    expect(calculate(recipe(bill, brewhouse)).og).toBeCloseTo(og, 12);
  });

  it('has nothing to set without grain', () => {
    expect(brewhouseForOg([malt(1, 1.0415, 'dry extract')], 9.46, 1.015)).toBeUndefined();
  });
});

describe('which recipes are Zymatic recipes', () => {
  it('knows them by their EQUIPMENT name or their ZYMATIC block', () => {
    expect(isZymaticRecipe('PicoBrew Z/Zymatic', false)).toBe(true);
    expect(isZymaticRecipe(undefined, true)).toBe(true);
    expect(isZymaticRecipe('Braumeister 20 L', false)).toBe(false);
    expect(isZymaticRecipe(undefined, false)).toBe(false);
  });
});
