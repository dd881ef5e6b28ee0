// A BeerJSON recipe's figures: OG, FG, ABV, IBU (Tinseth and Rager), colour (Morey SRM and EBC).
// Pure: everything is converted to SI first; docs/recipes.md states every formula and assumption.
import createError from '@fastify/error';
import type { FermentableAddition, Quantity, Recipe } from '../formats/beerjson-types.js';
import { boilAddition } from '../formats/hop-timing.js';
import { isMass, toKg, toLitres, toSg, toSrm, yieldToPotential } from '../formats/units.js';
import { type BoilHop, ibuRager, ibuTinseth } from './bitterness.js';
import { maltColourUnits, moreySrm, srmToEbc } from './colour.js';
import { abv, type ExtractSource, finalGravity, originalGravity } from './gravity.js';

export interface RecipeFigures {
  og: number;
  fg: number;
  /** Percent alcohol by volume. */
  abv: number;
  ibuTinseth: number;
  ibuRager: number;
  srm: number;
  ebc: number;
}

export const RecipeIncompleteError = createError<'COBREW_ERR_RECIPE_INCOMPLETE', [string, string]>(
  'COBREW_ERR_RECIPE_INCOMPLETE',
  'Cannot calculate "%s": %s.',
);

/** Apparent attenuation used when no culture states one: a mid value for ale yeasts. */
export const DEFAULT_ATTENUATION = 0.75;

/** kg of an ingredient; a volume is taken at 1 kg/L (BeerJSON gives no density). */
export const kgOf = (q: Quantity): number => (isMass(q) ? toKg(q) : toLitres(q));

/**
 * Share of its potential a grain steeped in an extract recipe gives. BeerSmith's author: "steeping is
 * generally < 10% efficient at contributing points" (docs/recipes.md cites it); the bound is used.
 */
export const STEEPED_GRAIN_YIELD = 0.1;

/**
 * Share of a fermentable's potential that reaches the wort: grain gets the brewhouse efficiency, or the
 * steeping yield when an extract recipe steeps it (not marked as mashed); sugars, extracts, honey and
 * fruit give all of theirs.
 */
function extractShare(recipe: Recipe, f: FermentableAddition): number {
  if (f.type !== 'grain') return 1;
  const steeped = recipe.type === 'extract' && f.timing?.use !== 'add_to_mash';
  return steeped ? STEEPED_GRAIN_YIELD : recipe.efficiency.brewhouse.value / 100;
}

/** The potential as SG, or from the fine-grind yield (percent of sucrose's) when only that is given. */
export function potential(f: FermentableAddition): number {
  const y = f.yield;
  if (y.potential !== undefined) return toSg(y.potential);
  if (y.fine_grind !== undefined) return yieldToPotential(y.fine_grind.value);
  if (y.coarse_grind !== undefined) return yieldToPotential(y.coarse_grind.value);
  return 1;
}

function extractSources(
  recipe: Recipe,
  keep: (f: FermentableAddition) => boolean = () => true,
): ExtractSource[] {
  return recipe.ingredients.fermentable_additions.filter(keep).map((f) => ({
    kg: kgOf(f.amount),
    potentialSg: potential(f),
    efficiency: extractShare(recipe, f),
  }));
}

/**
 * Hops added to the boil (dry hops, mash and packaging additions give no IBU in these models). A whirlpool
 * hop with a stated utilisation counts at it; without one it sees no boil and gives no Tinseth IBU.
 */
function boilHops(recipe: Recipe): BoilHop[] {
  const hops: BoilHop[] = [];
  for (const h of recipe.ingredients.hop_additions ?? []) {
    const added = boilAddition(h, recipe);
    if (added === undefined) continue;
    const hop: BoilHop = {
      grams: kgOf(h.amount) * 1000,
      alpha: h.alpha_acid.value / 100,
      minutes: added.minutes,
    };
    const u = h.utilization;
    // cobrew's own member: a BeerJSON file from elsewhere may hold anything under that name.
    if (added.kind === 'whirlpool' && u?.unit === '%' && u.value > 0 && u.value <= 100)
      hop.stated = u.value / 100;
    hops.push(hop);
  }
  return hops;
}

/** The highest attenuation stated by the recipe's cultures (the one that finishes the beer). */
function attenuation(recipe: Recipe): number {
  const stated = (recipe.ingredients.culture_additions ?? [])
    .map((c) => c.attenuation?.value)
    .filter((a): a is number => a !== undefined);
  return stated.length === 0 ? DEFAULT_ATTENUATION : Math.max(...stated) / 100;
}

/** Added after the boil (BeerXML's ADD_AFTER_BOIL): in the OG, but not in the wort the hops boil in. */
const afterBoil = (f: FermentableAddition): boolean =>
  f.timing?.use === 'add_to_fermentation' || f.timing?.use === 'add_to_package';

/**
 * The gravity the hops boil in, as Tinseth advises: the mean of the pre-boil gravity (the boiled extract
 * in the pre-boil volume) and the end-of-boil gravity (the boiled extract in the batch). A pre-boil volume
 * smaller than the batch is a partial boil topped up with water afterwards: the hops boil in the
 * concentrated wort, whose gravity is the boiled extract in the pre-boil volume (its boil-off is not in
 * the recipe). Without a pre-boil volume, the end-of-boil gravity. `boiledOg` is the OG without what goes
 * in after the boil.
 */
export function boilGravity(recipe: Recipe, boiledOg: number, litres: number): number {
  const pre = recipe.boil?.pre_boil_size;
  const preLitres = pre === undefined ? 0 : toLitres(pre);
  if (!(preLitres > 0) || preLitres === litres) return boiledOg;
  const preBoil = 1 + ((boiledOg - 1) * litres) / preLitres;
  return preLitres < litres ? preBoil : (preBoil + boiledOg) / 2;
}

/**
 * The recipe's figures at full precision, from its ingredients, batch size (volume into the fermenter)
 * and brewhouse efficiency; IBU at the mean boil gravity. Throws COBREW_ERR_RECIPE_INCOMPLETE for
 * a batch size of zero.
 */
export function calculate(recipe: Recipe): RecipeFigures {
  const litres = toLitres(recipe.batch_size);
  if (!(litres > 0)) {
    throw new RecipeIncompleteError(
      recipe.name,
      'its batch size is zero; set batch_size to the volume into the fermenter',
    );
  }
  const og = originalGravity(extractSources(recipe), litres);
  const fg = finalGravity(og, attenuation(recipe));
  const hops = boilHops(recipe);
  const boiledOg = originalGravity(
    extractSources(recipe, (f) => !afterBoil(f)),
    litres,
  );
  const boilG = boilGravity(recipe, boiledOg, litres);
  const srm = moreySrm(
    maltColourUnits(
      recipe.ingredients.fermentable_additions.map((f) => ({ kg: kgOf(f.amount), lovibond: toSrm(f.color) })),
      litres,
    ),
  );
  return {
    og,
    fg,
    abv: abv(og, fg),
    ibuTinseth: ibuTinseth(hops, boilG, litres),
    ibuRager: ibuRager(hops, boilG, litres),
    srm,
    ebc: srmToEbc(srm),
  };
}

/** Figures rounded as brewers read them: gravities to 4 decimals, ABV to 2, IBU and colour to 1. */
export function roundFigures(f: RecipeFigures): RecipeFigures {
  const r = (v: number, d: number) => Number(v.toFixed(d));
  return {
    og: r(f.og, 4),
    fg: r(f.fg, 4),
    abv: r(f.abv, 2),
    ibuTinseth: r(f.ibuTinseth, 1),
    ibuRager: r(f.ibuRager, 1),
    srm: r(f.srm, 1),
    ebc: r(f.ebc, 1),
  };
}
