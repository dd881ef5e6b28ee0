// BeerXML 1.0 recipes to a BeerJSON 1.0 document. BeerXML's fixed units (kg, L, °C, minutes, SG, 0-100 %)
// become BeerJSON unit objects; display-only tags (DISPLAY_*), vendor tags (BF_*, USER_*…) and records
// BeerJSON keeps outside recipes (EQUIPMENT) are left out. docs/recipes.md lists the mapping.
import type { BeerJsonDocument, Quantity, Recipe } from './beerjson-types.js';
import { FieldReader, type RecordFields } from './beerxml-fields.js';
import { parseBeerXml, type XmlRecord } from './beerxml-parse.js';
import { BeerXmlInvalidError } from './errors.js';
import { timeQuantity, yieldToPotential } from './units.js';
import type { FormatWarning } from './warnings.js';

type Json = Record<string, unknown>;

const q = (unit: string, value: number): Quantity => ({ unit, value });

/** Drops undefined members so the document holds only what the file said. */
function compact<T extends Json>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function opt<T>(value: number | undefined, make: (v: number) => T): T | undefined {
  return value === undefined ? undefined : make(value);
}

const RECIPE_TYPES: Record<string, string> = {
  'all grain': 'all grain',
  'partial mash': 'partial mash',
  extract: 'extract',
};
const FERMENTABLE_TYPES: Record<string, string> = {
  grain: 'grain',
  sugar: 'sugar',
  extract: 'extract',
  'dry extract': 'dry extract',
  adjunct: 'grain',
};
const HOP_FORMS: Record<string, string> = { pellet: 'pellet', plug: 'plug', leaf: 'leaf' };
const MISC_TYPES = ['spice', 'fining', 'water agent', 'herb', 'flavor', 'other'];
const YEAST_TYPES: Record<string, string> = {
  ale: 'ale',
  lager: 'lager',
  wheat: 'ale',
  wine: 'wine',
  champagne: 'champagne',
};
const YEAST_FORMS = ['liquid', 'dry', 'slant', 'culture'];
const STYLE_TYPES: Record<string, string> = {
  lager: 'beer',
  ale: 'beer',
  wheat: 'beer',
  mixed: 'beer',
  mead: 'mead',
  cider: 'cider',
};
const MASH_STEP_TYPES = ['infusion', 'temperature', 'decoction'];

/** A value from a fixed list, lower-cased; anything else falls back with a warning. */
function choice(f: RecordFields, tag: string, table: Record<string, string>, fallback: string): string {
  const t = f.text(tag);
  const v = t === undefined ? undefined : table[t.toLowerCase()];
  if (v !== undefined) return v;
  f.warn(
    'BEERXML_VALUE_UNKNOWN',
    `${tag} ${t === undefined ? 'is missing' : `"${t}" is unknown`}; "${fallback}" used`,
  );
  return fallback;
}

const identity = (values: string[]): Record<string, string> => Object.fromEntries(values.map((v) => [v, v]));

/** BeerXML DATE is free text ("08 May 2011", "2011-05-08"); BeerJSON wants YYYY-MM-DD. */
function isoDate(f: RecordFields): string | undefined {
  const t = f.text('DATE');
  if (t === undefined) return undefined;
  const iso = /^(\d{4}-\d{2}-\d{2})/.exec(t);
  if (iso !== null) return iso[1];
  const ms = Date.parse(`${t} 00:00 UTC`);
  if (Number.isFinite(ms)) return new Date(ms).toISOString().slice(0, 10);
  f.warn('BEERXML_VALUE_UNREADABLE', `DATE "${t}" is not a date; left out`);
  return undefined;
}

/** Amount in kg or litres, as BeerXML's AMOUNT_IS_WEIGHT says (litres when absent, as the spec says). */
function amount(f: RecordFields, weightByDefault: boolean): Quantity | undefined {
  const v = f.required('AMOUNT');
  if (v === undefined) return undefined;
  return (f.bool('AMOUNT_IS_WEIGHT') ?? weightByDefault) ? q('kg', v) : q('l', v);
}

function fermentable(f: RecordFields): Json {
  const yieldPercent = f.percent('YIELD', f.required('YIELD'));
  const type = choice(f, 'TYPE', FERMENTABLE_TYPES, 'grain');
  return compact({
    name: f.text('NAME') ?? '',
    type,
    origin: f.text('ORIGIN'),
    producer: f.text('SUPPLIER'),
    grain_group: f.text('TYPE')?.toLowerCase() === 'adjunct' ? 'adjunct' : undefined,
    yield: compact({
      fine_grind: opt(yieldPercent, (v) => q('%', v)),
      fine_coarse_difference: opt(f.number('COARSE_FINE_DIFF'), (v) => q('%', v)),
      potential: opt(yieldPercent, (v) => q('sg', yieldToPotential(v))),
    }),
    color: q('Lovi', f.required('COLOR') ?? 0),
    amount: q('kg', f.required('AMOUNT') ?? 0),
    timing: f.bool('ADD_AFTER_BOIL') === true ? { use: 'add_to_fermentation' } : undefined,
  });
}

function hopTiming(f: RecordFields): Json {
  const use = f.text('USE')?.toLowerCase();
  let minutes = f.number('TIME');
  if (minutes === undefined) {
    f.warn('BEERXML_VALUE_DEFAULTED', 'TIME is missing; 0 min used');
    minutes = 0;
  }
  switch (use) {
    case 'mash':
      return { use: 'add_to_mash', time: timeQuantity(minutes) };
    case 'dry hop':
      return { use: 'add_to_fermentation', duration: timeQuantity(minutes) };
    case 'boil':
    case 'first wort':
      return { use: 'add_to_boil', time: timeQuantity(minutes) };
    case 'aroma':
      // Added at the end of the boil and steeped TIME minutes: no boil time of its own.
      return { use: 'add_to_boil', time: timeQuantity(0), duration: timeQuantity(minutes) };
    default:
      f.warn(
        'BEERXML_VALUE_UNKNOWN',
        `USE ${use === undefined ? 'is missing' : `"${use}" is unknown`}; "Boil" used`,
      );
      return { use: 'add_to_boil', time: timeQuantity(minutes) };
  }
}

function hop(f: RecordFields): Json {
  const form = f.text('FORM');
  return compact({
    name: f.text('NAME') ?? '',
    origin: f.text('ORIGIN'),
    form: form === undefined ? undefined : choice(f, 'FORM', HOP_FORMS, 'pellet'),
    alpha_acid: q('%', f.required('ALPHA') ?? 0),
    beta_acid: opt(f.number('BETA'), (v) => q('%', v)),
    amount: q('kg', f.required('AMOUNT') ?? 0),
    timing: hopTiming(f),
  });
}

function miscTiming(f: RecordFields): Json {
  const use = f.text('USE')?.toLowerCase();
  const time = opt(f.number('TIME'), timeQuantity);
  switch (use) {
    case 'mash':
      return compact({ use: 'add_to_mash', time });
    case 'primary':
    case 'secondary':
      return compact({ use: 'add_to_fermentation', duration: time });
    case 'bottling':
      return compact({ use: 'add_to_package', duration: time });
    case 'boil':
      return compact({ use: 'add_to_boil', time });
    default:
      f.warn(
        'BEERXML_VALUE_UNKNOWN',
        `USE ${use === undefined ? 'is missing' : `"${use}" is unknown`}; "Boil" used`,
      );
      return compact({ use: 'add_to_boil', time });
  }
}

function misc(f: RecordFields): Json {
  return compact({
    name: f.text('NAME') ?? '',
    type: choice(f, 'TYPE', identity(MISC_TYPES), 'other'),
    amount: amount(f, false) ?? q('kg', 0),
    timing: miscTiming(f),
  });
}

function yeast(f: RecordFields): Json {
  const amt = f.number('AMOUNT');
  return compact({
    name: f.text('NAME') ?? '',
    type: choice(f, 'TYPE', YEAST_TYPES, 'ale'),
    form: choice(f, 'FORM', identity(YEAST_FORMS), 'liquid'),
    producer: f.text('LABORATORY'),
    product_id: f.text('PRODUCT_ID'),
    amount:
      amt === undefined ? undefined : (f.bool('AMOUNT_IS_WEIGHT') ?? false) ? q('kg', amt) : q('l', amt),
    attenuation: opt(f.percent('ATTENUATION'), (v) => q('%', v)),
    times_cultured: opt(f.number('TIMES_CULTURED'), Math.round),
  });
}

function water(f: RecordFields): Json {
  const ppm = (tag: string) => q('ppm', f.number(tag) ?? 0);
  return compact({
    name: f.text('NAME') ?? '',
    calcium: ppm('CALCIUM'),
    bicarbonate: ppm('BICARBONATE'),
    sulfate: ppm('SULFATE'),
    chloride: ppm('CHLORIDE'),
    sodium: ppm('SODIUM'),
    magnesium: ppm('MAGNESIUM'),
    amount: opt(f.number('AMOUNT'), (v) => q('l', v)),
  });
}

function style(f: RecordFields): Json | undefined {
  const name = f.text('NAME');
  if (name === undefined) return undefined;
  const category = f.number('CATEGORY_NUMBER');
  const letter = f.text('STYLE_LETTER');
  return compact({
    name,
    category: f.text('CATEGORY') ?? '',
    category_number: category !== undefined && Number.isInteger(category) ? category : undefined,
    style_letter: letter !== undefined && /^[A-Z]$/.test(letter) ? letter : undefined,
    style_guide: f.text('STYLE_GUIDE') ?? '',
    type: choice(f, 'TYPE', STYLE_TYPES, 'beer'),
  });
}

function mashStep(f: RecordFields): Json | undefined {
  const temp = f.number('STEP_TEMP');
  if (temp === undefined) {
    f.warn('BEERXML_VALUE_UNREADABLE', 'STEP_TEMP is missing; the step is left out');
    return undefined;
  }
  return compact({
    name: f.text('NAME') ?? '',
    type: choice(f, 'TYPE', identity(MASH_STEP_TYPES), 'temperature'),
    amount: opt(f.number('INFUSE_AMOUNT'), (v) => q('l', v)),
    step_temperature: q('C', temp),
    step_time: timeQuantity(f.number('STEP_TIME') ?? 0),
    ramp_time: opt(f.number('RAMP_TIME'), timeQuantity),
    end_temperature: opt(f.number('END_TEMP'), (v) => q('C', v)),
  });
}

function mash(f: RecordFields, reader: FieldReader): Json | undefined {
  const steps = f
    .list('MASH_STEPS', 'MASH_STEP')
    .map((s, i) => mashStep(reader.record(s, `${f.where}, MASH_STEP ${i + 1}`)))
    .filter((s): s is Json => s !== undefined);
  if (steps.length === 0) return undefined;
  let grain = f.number('GRAIN_TEMP');
  if (grain === undefined) {
    f.warn('BEERXML_VALUE_DEFAULTED', 'GRAIN_TEMP is missing; 20 °C used (BeerJSON requires it)');
    grain = 20;
  }
  return compact({
    name: f.text('NAME') ?? 'Mash',
    grain_temperature: q('C', grain),
    notes: f.text('NOTES'),
    mash_steps: steps,
  });
}

const STAGES = [
  ['Primary', 'PRIMARY_AGE', 'PRIMARY_TEMP'],
  ['Secondary', 'SECONDARY_AGE', 'SECONDARY_TEMP'],
  ['Tertiary', 'TERTIARY_AGE', 'TERTIARY_TEMP'],
] as const;

/** PRIMARY/SECONDARY/TERTIARY (as many as FERMENTATION_STAGES says) then AGE: days and °C. */
function fermentation(f: RecordFields): Json | undefined {
  const count = Math.min(f.number('FERMENTATION_STAGES') ?? STAGES.length, STAGES.length);
  const stages: [string, string, string][] = STAGES.slice(0, count).map((s) => [...s]);
  stages.push(['Conditioning', 'AGE', 'AGE_TEMP']);
  const steps = stages
    .map(([name, ageTag, tempTag]): Json | undefined => {
      const days = f.number(ageTag);
      const temp = f.number(tempTag);
      if ((days === undefined || days === 0) && temp === undefined) return undefined;
      return compact({
        name,
        start_temperature: opt(temp, (v) => q('C', v)),
        step_time: opt(days, (d) => (Number.isInteger(d) ? q('day', d) : timeQuantity(d * 1440))),
      });
    })
    .filter((s): s is Json => s !== undefined);
  return steps.length === 0 ? undefined : { name: 'Fermentation', fermentation_steps: steps };
}

function recipe(f: RecordFields, reader: FieldReader): Recipe {
  const sub = (set: string, tag: string, make: (g: RecordFields) => Json) =>
    f.list(set, tag).map((r, i) => {
      const name = typeof r.NAME === 'string' && r.NAME.trim() !== '' ? ` "${r.NAME.trim()}"` : '';
      return make(reader.record(r, `${f.where}, ${tag} ${i + 1}${name}`));
    });

  const type = choice(f, 'TYPE', RECIPE_TYPES, 'all grain');
  let efficiency = f.percent('EFFICIENCY');
  if (efficiency === undefined) {
    efficiency = type === 'extract' ? 100 : 75;
    f.warn('BEERXML_VALUE_DEFAULTED', `EFFICIENCY is missing; ${efficiency} % used (BeerJSON requires it)`);
  }
  const boilTime = f.number('BOIL_TIME');
  const styleRecord = f.child('STYLE');
  const mashRecord = f.child('MASH');
  const tasteNotes = f.text('TASTE_NOTES');
  const tasteRating = f.number('TASTE_RATING');
  const estColor = f.display('EST_COLOR');
  // Tools write units into these ("27.0 IBUs", "5.1 %"): the number is what counts.
  const ibu = f.display('IBU')?.value;
  const ibuMethod = f.text('IBU_METHOD');
  const abv = f.display('ABV')?.value ?? f.display('EST_ABV')?.value;
  if (f.child('EQUIPMENT') !== undefined) {
    f.warn(
      'BEERXML_NOT_CARRIED',
      'the EQUIPMENT record is not carried over: BeerJSON keeps equipment outside recipes',
    );
  }

  return compact({
    name: f.text('NAME') ?? '',
    type,
    author: f.text('BREWER') ?? '',
    coauthor: f.text('ASST_BREWER'),
    created: isoDate(f),
    batch_size: q('l', f.required('BATCH_SIZE') ?? 0),
    efficiency: { brewhouse: q('%', efficiency) },
    style: styleRecord === undefined ? undefined : style(reader.record(styleRecord, `${f.where}, STYLE`)),
    ingredients: compact({
      fermentable_additions: sub('FERMENTABLES', 'FERMENTABLE', fermentable),
      hop_additions: sub('HOPS', 'HOP', hop),
      miscellaneous_additions: sub('MISCS', 'MISC', misc),
      culture_additions: sub('YEASTS', 'YEAST', yeast),
      water_additions: sub('WATERS', 'WATER', water),
    }),
    mash: mashRecord === undefined ? undefined : mash(reader.record(mashRecord, `${f.where}, MASH`), reader),
    notes: f.text('NOTES'),
    original_gravity: opt(f.gravity('OG') ?? f.displayGravity('EST_OG'), (v) => q('sg', v)),
    final_gravity: opt(f.gravity('FG') ?? f.displayGravity('EST_FG'), (v) => q('sg', v)),
    alcohol_by_volume: opt(abv, (v) => q('%', v)),
    ibu_estimate:
      ibu === undefined
        ? undefined
        : compact({
            method:
              ['Tinseth', 'Rager', 'Garetz'].find((m) => m.toLowerCase() === ibuMethod?.toLowerCase()) ??
              'Other',
            value: q('IBUs', ibu),
          }),
    color_estimate: opt(estColor?.value, (v) => q(estColor?.unit === 'ebc' ? 'EBC' : 'SRM', v)),
    carbonation: f.number('CARBONATION'),
    fermentation: fermentation(f),
    boil:
      boilTime === undefined
        ? undefined
        : compact({
            pre_boil_size: opt(f.number('BOIL_SIZE'), (v) => q('l', v)),
            boil_time: timeQuantity(boilTime),
          }),
    taste:
      tasteNotes === undefined && tasteRating === undefined
        ? undefined
        : { notes: tasteNotes ?? '', rating: tasteRating ?? 0 },
  }) as unknown as Recipe;
}

/** Reads every recipe of a BeerXML file into one BeerJSON document (not yet schema-checked). */
export function readBeerXml(
  bytes: Buffer,
  what: string,
): { document: BeerJsonDocument; warnings: FormatWarning[] } {
  const { recipes: records, warnings } = parseBeerXml(bytes, what);
  const problems: string[] = [];
  const reader = new FieldReader(warnings, problems);
  const recipes = records.map((r: XmlRecord, i) => {
    const name = typeof r.NAME === 'string' && r.NAME.trim() !== '' ? ` "${r.NAME.trim()}"` : '';
    return recipe(reader.record(r, `RECIPE ${i + 1}${name}`), reader);
  });
  if (problems.length > 0) throw new BeerXmlInvalidError(what, problems);
  return { document: { beerjson: { version: 1, recipes } }, warnings };
}
