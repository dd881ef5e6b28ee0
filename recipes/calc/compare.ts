// cobrew's figures beside the ones the exporting application stored in the file (BeerXML's EST_OG,
// EST_FG, IBU with its IBU_METHOD, EST_COLOR; BeerJSON's original_gravity…), so a brewer sees how far
// apart they are and a test can measure it over real files.
import type { Recipe } from '../formats/beerjson-types.js';
import { toSg, toSrm } from '../formats/units.js';
import type { RecipeFigures } from './index.js';

export interface StatedFigures {
  og?: number;
  fg?: number;
  /** The file's IBU and the method it names; `Other` when it names none of Tinseth, Rager, Garetz. */
  ibu?: { value: number; method: string };
  srm?: number;
}

export interface FigureDeltas {
  /** Calculated − stated, in specific gravity. */
  og?: number;
  fg?: number;
  /**
   * Calculated − stated IBU by the same method: Tinseth or Rager as the file names it; Tinseth, the
   * applications' default, when it names none (`ibuMethodAssumed`). Garetz is not calculated: no delta.
   */
  ibu?: number;
  /** The same as a percentage of the stated IBU. */
  ibuPercent?: number;
  ibuMethodAssumed?: boolean;
  /** Calculated − stated, SRM. */
  srm?: number;
}

export function statedFigures(recipe: Recipe): StatedFigures {
  const stated: StatedFigures = {};
  if (recipe.original_gravity !== undefined) stated.og = toSg(recipe.original_gravity);
  if (recipe.final_gravity !== undefined) stated.fg = toSg(recipe.final_gravity);
  const ibu = recipe.ibu_estimate;
  if (ibu?.value !== undefined) stated.ibu = { value: ibu.value.value, method: ibu.method ?? 'Other' };
  if (recipe.color_estimate !== undefined) stated.srm = toSrm(recipe.color_estimate);
  return stated;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** How far the calculated figures are from the stated ones, rounded as brewers read them. */
export function figureDeltas(figures: RecipeFigures, stated: StatedFigures): FigureDeltas {
  const d: FigureDeltas = {};
  if (stated.og !== undefined) d.og = round(figures.og - stated.og, 4);
  if (stated.fg !== undefined) d.fg = round(figures.fg - stated.fg, 4);
  const ibu = stated.ibu;
  if (ibu !== undefined && ibu.method !== 'Garetz') {
    const ours = ibu.method === 'Rager' ? figures.ibuRager : figures.ibuTinseth;
    d.ibu = round(ours - ibu.value, 1);
    if (ibu.value > 0) d.ibuPercent = round(((ours - ibu.value) / ibu.value) * 100, 1);
    if (ibu.method === 'Other') d.ibuMethodAssumed = true;
  }
  if (stated.srm !== undefined) d.srm = round(figures.srm - stated.srm, 1);
  return d;
}
