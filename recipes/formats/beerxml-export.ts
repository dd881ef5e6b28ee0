// A BeerJSON document's recipes as BeerXML 1.0 (UTF-8): every quantity converted to BeerXML's fixed units
// (kg, L, °C, minutes, SG, 0-100 %). What BeerXML cannot say is approximated as docs/recipes.md lists
// (e.g. fruit and honey are written as sugars, counted yeast packs have no AMOUNT).
import { XMLBuilder } from 'fast-xml-parser';
import type {
  BeerJsonDocument,
  CultureAddition,
  FermentableAddition,
  HopAddition,
  MiscellaneousAddition,
  Quantity,
  Recipe,
} from './beerjson-types.js';
import { NoRecipeError } from './errors.js';
import { boilAddition } from './hop-timing.js';
import {
  isMass,
  isVolume,
  potentialToYield,
  toCelsius,
  toKg,
  toLitres,
  toMinutes,
  toSg,
  toSrm,
} from './units.js';
import { validateBeerJson } from './validate.js';

type Xml = Record<string, unknown>;

const builder = new XMLBuilder({ format: true, indentBy: ' ', processEntities: true });

/** Numbers without binary noise (0.30000000000000004), at most 10 significant digits. */
function num(v: number | undefined): string | undefined {
  return v === undefined ? undefined : String(Number(v.toPrecision(10)));
}

function compact(o: Xml): Xml {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** Mass in kg; a volume is taken at 1 kg/L, BeerXML having only kg for these ingredients. */
const kg = (q: Quantity): number => (isMass(q) ? toKg(q) : toLitres(q));

function amount(q: Quantity | undefined): Xml {
  if (q === undefined || (!isMass(q) && !isVolume(q))) return {};
  return isMass(q)
    ? { AMOUNT: num(toKg(q)), AMOUNT_IS_WEIGHT: 'TRUE' }
    : { AMOUNT: num(toLitres(q)), AMOUNT_IS_WEIGHT: 'FALSE' };
}

const minutes = (q: Quantity | undefined): string | undefined =>
  num(q === undefined ? undefined : toMinutes(q));

function fermentableType(f: FermentableAddition): string {
  if (f.type === 'grain') return f.grain_group === 'adjunct' ? 'Adjunct' : 'Grain';
  if (f.type === 'extract') return 'Extract';
  if (f.type === 'dry extract') return 'Dry Extract';
  return 'Sugar';
}

function fermentableYield(f: FermentableAddition): number {
  const y = f.yield;
  if (y.fine_grind !== undefined) return y.fine_grind.value;
  if (y.potential !== undefined) return potentialToYield(toSg(y.potential));
  if (y.coarse_grind !== undefined) return y.coarse_grind.value + (y.fine_coarse_difference?.value ?? 0);
  return 0;
}

function fermentable(f: FermentableAddition): Xml {
  return compact({
    NAME: f.name,
    VERSION: 1,
    TYPE: fermentableType(f),
    AMOUNT: num(kg(f.amount)),
    YIELD: num(fermentableYield(f)),
    COLOR: num(toSrm(f.color)),
    ADD_AFTER_BOIL: f.timing?.use === 'add_to_fermentation' ? 'TRUE' : 'FALSE',
    ORIGIN: f.origin as string | undefined,
    SUPPLIER: f.producer as string | undefined,
    COARSE_FINE_DIFF: num(f.yield.fine_coarse_difference?.value),
  });
}

function hopUse(h: HopAddition, r: Recipe): { USE: string; TIME: string | undefined } {
  const t = h.timing;
  if (t.use === 'add_to_mash') return { USE: 'Mash', TIME: minutes(t.time ?? t.duration) ?? '0' };
  const boil = boilAddition(h, r);
  if (boil === undefined) return { USE: 'Dry Hop', TIME: minutes(t.duration ?? t.time) ?? '0' };
  if (boil.kind === 'whirlpool') return { USE: 'Aroma', TIME: num(boil.steepMinutes ?? 0) };
  return { USE: boil.kind === 'first wort' ? 'First Wort' : 'Boil', TIME: num(boil.minutes) };
}

const HOP_FORMS: Record<string, string> = {
  pellet: 'Pellet',
  plug: 'Plug',
  leaf: 'Leaf',
  'leaf (wet)': 'Leaf',
};

function hop(h: HopAddition, r: Recipe): Xml {
  return compact({
    NAME: h.name,
    VERSION: 1,
    ALPHA: num(h.alpha_acid.value),
    AMOUNT: num(kg(h.amount)),
    ...hopUse(h, r),
    FORM: h.form === undefined ? undefined : (HOP_FORMS[h.form] ?? 'Pellet'),
    BETA: num((h.beta_acid as Quantity | undefined)?.value),
    ORIGIN: h.origin as string | undefined,
    UTILIZATION: num(h.utilization?.value),
  });
}

const MISC_TYPES: Record<string, string> = {
  spice: 'Spice',
  fining: 'Fining',
  'water agent': 'Water Agent',
  herb: 'Herb',
  flavor: 'Flavor',
};
const MISC_USES: Record<string, string> = {
  add_to_mash: 'Mash',
  add_to_boil: 'Boil',
  add_to_fermentation: 'Primary',
  add_to_package: 'Bottling',
};

function misc(m: MiscellaneousAddition): Xml {
  return compact({
    NAME: m.name,
    VERSION: 1,
    TYPE: MISC_TYPES[m.type] ?? 'Other',
    USE: MISC_USES[m.timing?.use ?? 'add_to_boil'] ?? 'Boil',
    TIME: minutes(m.timing?.time ?? m.timing?.duration) ?? '0',
    ...amount(m.amount),
  });
}

const YEAST_TYPES: Record<string, string> = {
  ale: 'Ale',
  lager: 'Lager',
  wine: 'Wine',
  champagne: 'Champagne',
};
const YEAST_FORMS: Record<string, string> = {
  liquid: 'Liquid',
  dry: 'Dry',
  slant: 'Slant',
  culture: 'Culture',
};

function yeast(c: CultureAddition): Xml {
  return compact({
    NAME: c.name,
    VERSION: 1,
    TYPE: YEAST_TYPES[c.type] ?? 'Ale',
    FORM: YEAST_FORMS[c.form] ?? 'Culture',
    ...amount(c.amount),
    LABORATORY: c.producer as string | undefined,
    PRODUCT_ID: c.product_id as string | undefined,
    ATTENUATION: num(c.attenuation?.value),
    TIMES_CULTURED: num(c.times_cultured as number | undefined),
  });
}

function water(w: Record<string, unknown>): Xml {
  const ppm = (k: string) => num((w[k] as Quantity | undefined)?.value);
  return compact({
    NAME: w.name,
    VERSION: 1,
    AMOUNT: num(w.amount === undefined ? undefined : toLitres(w.amount as Quantity)),
    CALCIUM: ppm('calcium'),
    BICARBONATE: ppm('bicarbonate'),
    SULFATE: ppm('sulfate'),
    CHLORIDE: ppm('chloride'),
    SODIUM: ppm('sodium'),
    MAGNESIUM: ppm('magnesium'),
  });
}

const STYLE_TYPES: Record<string, string> = { beer: 'Ale', mead: 'Mead', cider: 'Cider' };

function style(s: Record<string, unknown>): Xml {
  return compact({
    NAME: s.name,
    VERSION: 1,
    CATEGORY: s.category,
    CATEGORY_NUMBER: s.category_number,
    STYLE_LETTER: s.style_letter,
    STYLE_GUIDE: s.style_guide,
    TYPE: STYLE_TYPES[s.type as string] ?? 'Mixed',
  });
}

const MASH_STEP_TYPES: Record<string, string> = {
  infusion: 'Infusion',
  temperature: 'Temperature',
  decoction: 'Decoction',
};

function mash(m: Record<string, unknown>): Xml {
  const steps = (m.mash_steps as Record<string, unknown>[]).map((s) =>
    compact({
      NAME: s.name,
      VERSION: 1,
      TYPE: MASH_STEP_TYPES[s.type as string] ?? 'Temperature',
      INFUSE_AMOUNT: num(s.amount === undefined ? undefined : toLitres(s.amount as Quantity)),
      STEP_TEMP: num(toCelsius(s.step_temperature as Quantity)),
      STEP_TIME: minutes(s.step_time as Quantity),
      RAMP_TIME: minutes(s.ramp_time as Quantity | undefined),
      END_TEMP: num(s.end_temperature === undefined ? undefined : toCelsius(s.end_temperature as Quantity)),
    }),
  );
  return compact({
    NAME: m.name,
    VERSION: 1,
    GRAIN_TEMP: num(toCelsius(m.grain_temperature as Quantity)),
    NOTES: m.notes,
    MASH_STEPS: { MASH_STEP: steps },
  });
}

const STAGE_TAGS: Record<string, [string, string]> = {
  primary: ['PRIMARY_AGE', 'PRIMARY_TEMP'],
  secondary: ['SECONDARY_AGE', 'SECONDARY_TEMP'],
  tertiary: ['TERTIARY_AGE', 'TERTIARY_TEMP'],
  conditioning: ['AGE', 'AGE_TEMP'],
};
const STAGE_ORDER = ['primary', 'secondary', 'tertiary'];

/** Fermentation steps into BeerXML's three stages and conditioning, by name first, then in order. */
function fermentation(f: Record<string, unknown> | undefined): Xml {
  const steps = (f?.fermentation_steps as Record<string, unknown>[] | undefined) ?? [];
  const out: Xml = {};
  const used = new Set<string>();
  const slots = steps.map((s) => {
    const named = String(s.name).toLowerCase();
    const slot = named in STAGE_TAGS && !used.has(named) ? named : STAGE_ORDER.find((o) => !used.has(o));
    if (slot !== undefined) used.add(slot);
    return slot;
  });
  steps.forEach((s, i) => {
    const slot = slots[i];
    if (slot === undefined) return;
    const [ageTag, tempTag] = STAGE_TAGS[slot] as [string, string];
    const time = s.step_time as Quantity | undefined;
    out[ageTag] = num(
      time === undefined ? undefined : time.unit === 'day' ? time.value : toMinutes(time) / 1440,
    );
    const temp = s.start_temperature as Quantity | undefined;
    out[tempTag] = num(temp === undefined ? undefined : toCelsius(temp));
  });
  const stages = STAGE_ORDER.filter((o) => used.has(o));
  if (stages.length === 0) return compact(out);
  return compact({
    FERMENTATION_STAGES: STAGE_ORDER.indexOf(stages[stages.length - 1] as string) + 1,
    ...out,
  });
}

const RECIPE_TYPES: Record<string, string> = {
  'all grain': 'All Grain',
  'partial mash': 'Partial Mash',
  extract: 'Extract',
};

function recipe(r: Recipe): Xml {
  const ing = r.ingredients;
  const colour = r.color_estimate;
  return compact({
    NAME: r.name,
    VERSION: 1,
    TYPE: RECIPE_TYPES[r.type] ?? 'All Grain',
    BREWER: r.author,
    ASST_BREWER: r.coauthor as string | undefined,
    DATE: r.created as string | undefined,
    BATCH_SIZE: num(toLitres(r.batch_size)),
    BOIL_SIZE: num(r.boil?.pre_boil_size === undefined ? undefined : toLitres(r.boil.pre_boil_size)),
    BOIL_TIME: minutes(r.boil?.boil_time),
    EFFICIENCY: num(r.efficiency.brewhouse.value),
    NOTES: r.notes as string | undefined,
    TASTE_NOTES: (r.taste as { notes?: string } | undefined)?.notes,
    TASTE_RATING: num((r.taste as { rating?: number } | undefined)?.rating),
    OG: num(r.original_gravity === undefined ? undefined : toSg(r.original_gravity)),
    FG: num(r.final_gravity === undefined ? undefined : toSg(r.final_gravity)),
    ABV: num(r.alcohol_by_volume?.value),
    IBU: num(r.ibu_estimate?.value?.value),
    IBU_METHOD: r.ibu_estimate?.value === undefined ? undefined : r.ibu_estimate.method,
    EST_COLOR:
      colour === undefined ? undefined : `${num(colour.value)} ${colour.unit === 'EBC' ? 'EBC' : 'SRM'}`,
    CARBONATION: num(r.carbonation as number | undefined),
    ...fermentation(r.fermentation as Record<string, unknown> | undefined),
    STYLE: r.style === undefined ? undefined : style(r.style as Record<string, unknown>),
    MASH: r.mash === undefined ? undefined : mash(r.mash as Record<string, unknown>),
    FERMENTABLES: { FERMENTABLE: ing.fermentable_additions.map(fermentable) },
    HOPS: { HOP: (ing.hop_additions ?? []).map((h) => hop(h, r)) },
    MISCS: { MISC: (ing.miscellaneous_additions ?? []).map(misc) },
    YEASTS: { YEAST: (ing.culture_additions ?? []).map(yeast) },
    WATERS: { WATER: (ing.water_additions ?? []).map(water) },
  });
}

/**
 * The document's recipes as one BeerXML 1.0 file (UTF-8). Throws COBREW_ERR_BEERJSON_INVALID for an
 * invalid document and COBREW_ERR_RECIPE_FILE_NO_RECIPE when it holds no recipe (BeerXML export is for recipes).
 */
export function exportBeerXml(doc: BeerJsonDocument): string {
  validateBeerJson(doc, 'The recipe to export');
  const recipes = doc.beerjson.recipes ?? [];
  if (recipes.length === 0) throw new NoRecipeError('The document to export');
  const body = builder.build({ RECIPES: { RECIPE: recipes.map(recipe) } }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}
