// PicoBrew's Recipe Crafter estimated OG for its Zymatic from a full-volume mash: the Zymatic recirculates
// all of its start water through the grain and does not sparge, so every loss (grain, hops, dead space)
// leaves at the wort's gravity and the OG is the extract dissolved in the whole start water, which the
// crafter exports as BOIL_SIZE. The EFFICIENCY it exports is not what its estimate used. docs/recipes.md
// ("PicoBrew Zymatic") gives the measurements behind the rule and its constant.
import type { FermentableAddition } from '../formats/beerjson-types.js';
import { platoToSg, SUCROSE_POTENTIAL_SG } from '../formats/units.js';
import { POINTS_PER_KG_PER_L_PER_PPG } from './gravity.js';
import { kgOf, potential } from './index.js';

/**
 * Share of the grain's laboratory yield the rule dissolves (conversion efficiency, %): fitted on half of
 * 211 crafter exports, where every value from 91.8 to 92.75 % keeps each file of that half within 0.003 of
 * its EST_OG; the middle of that range.
 */
export const ZYMATIC_CONVERSION_PERCENT = 92.3;

/** Whether a BeerXML recipe was written for a PicoBrew Zymatic: its EQUIPMENT says so, or it has a ZYMATIC block. */
export function isZymaticRecipe(equipmentName: string | undefined, hasZymaticBlock: boolean): boolean {
  return hasZymaticBlock || /zymatic/i.test(equipmentName ?? '');
}

/** (SG − 1) × 1000 × kg of the grains and of everything else (sugars, extracts, honey…). */
function extractPoints(fermentables: readonly FermentableAddition[]): { grain: number; other: number } {
  let grain = 0;
  let other = 0;
  for (const f of fermentables) {
    const p = (potential(f) - 1) * 1000 * kgOf(f.amount);
    if (f.type === 'grain') grain += p;
    else other += p;
  }
  return { grain, other };
}

/**
 * The crafter's OG: the grain's extract at the conversion efficiency and all of the sugars' and extracts',
 * dissolved in the start water (1 kg per litre), read as degrees Plato.
 */
export function zymaticOg(fermentables: readonly FermentableAddition[], startWaterLitres: number): number {
  const { grain, other } = extractPoints(fermentables);
  const extractKg =
    ((ZYMATIC_CONVERSION_PERCENT / 100) * grain + other) / ((SUCROSE_POTENTIAL_SG - 1) * 1000);
  return platoToSg((100 * extractKg) / (startWaterLitres + extractKg));
}

/**
 * The brewhouse efficiency (%) that gives `og` in the batch by cobrew's own calculation (grains at the
 * efficiency, sugars and extracts whole, all in the batch): how the rule is carried in a BeerJSON recipe.
 * Undefined without grain, whose efficiency is the only free figure.
 */
export function brewhouseForOg(
  fermentables: readonly FermentableAddition[],
  batchLitres: number,
  og: number,
): number | undefined {
  const { grain, other } = extractPoints(fermentables);
  if (!(grain > 0)) return undefined;
  const needed = ((og - 1) * 1000 * batchLitres) / POINTS_PER_KG_PER_L_PER_PPG;
  return ((needed - other) / grain) * 100;
}
