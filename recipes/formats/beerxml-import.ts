// BeerXML 1.0 recipes to a BeerJSON 1.0 document. BeerXML's fixed units (kg, L, °C, minutes, SG, 0-100 %)
// become BeerJSON unit objects; display-only tags (DISPLAY_*), vendor tags (BF_*, USER_*…) and records
// BeerJSON keeps outside recipes (EQUIPMENT) are left out. docs/recipes.md lists the mapping.
import { brewhouseForOg, isZymaticRecipe, ZYMATIC_CONVERSION_PERCENT, zymaticOg } from '../calc/zymatic.js';
import type { BeerJsonDocument, FermentableAddition, Quantity, Recipe } from './beerjson-types.js';
import { FieldReader, type RecordFields } from './beerxml-fields.js';
import { memberPath } from './beerxml-locate.js';
import { parseBeerXml, type XmlRecord } from './beerxml-parse.js';
import { BeerXmlInvalidError } from './errors.js';
import {
  EBC_PER_SRM,
  fahrenheitToCelsius,
  potentialToYield,
  timeQuantity,
  yieldToPotential,
} from './units.js';
import { beerJsonProblems } from './validate.js';
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
    tag,
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
  f.warn('BEERXML_VALUE_UNREADABLE', `DATE "${t}" is not a date; left out`, 'DATE');
  return undefined;
}

/** Amount in kg or litres, as BeerXML's AMOUNT_IS_WEIGHT says (litres when absent, as the spec says). */
function amount(f: RecordFields, weightByDefault: boolean): Quantity | undefined {
  const v = f.required('AMOUNT');
  if (v === undefined) return undefined;
  return (f.bool('AMOUNT_IS_WEIGHT') ?? weightByDefault) ? q('kg', v) : q('l', v);
}

/**
 * YIELD is a percentage of sucrose's extract. Tools that think in potentials write the potential there
 * instead, as SG (1.037) or SG × 1000 (1037): unambiguous, converted with a warning. Anything else
 * above 100 % cannot be a yield and is refused.
 */
function fermentableYield(f: RecordFields): number | undefined {
  const raw = f.required('YIELD');
  if (raw === undefined) return undefined;
  const potential = raw > 1 && raw <= 1.05 ? raw : raw >= 1000 && raw <= 1050 ? raw / 1000 : undefined;
  if (potential !== undefined) {
    const y = Number(potentialToYield(potential).toFixed(2));
    f.warn(
      'BEERXML_UNIT_CONVERTED',
      `YIELD ${raw} is an extract potential (SG ${potential}), not a percentage; read as ${y} %`,
      'YIELD',
    );
    return y;
  }
  if (raw > 100) {
    f.problem(`YIELD ${raw} is above 100 %; BeerXML wants the percentage of sucrose's extract`, 'YIELD');
    return undefined;
  }
  return f.percent('YIELD', raw);
}

/**
 * COLOR is in degrees Lovibond, but BeerSmith set to EBC writes EBC there: its own DISPLAY_COLOR
 * ("39.4 EBC" beside COLOR 39.4) gives it away, and then the value is converted with a warning.
 */
function fermentableColour(f: RecordFields): number {
  const colour = f.required('COLOR') ?? 0;
  const shown = f.display('DISPLAY_COLOR');
  if (shown?.unit === 'ebc' && colour > 0 && Math.abs(shown.value - colour) <= 0.051 * Math.max(1, colour)) {
    const lovibond = Number((colour / EBC_PER_SRM).toFixed(2));
    f.warn(
      'BEERXML_UNIT_CONVERTED',
      `COLOR ${colour} is in EBC (DISPLAY_COLOR says "${f.text('DISPLAY_COLOR')}"); read as ${lovibond} °L`,
      'COLOR',
    );
    return lovibond;
  }
  return colour;
}

/**
 * When the fermentable goes in: after the boil (ADD_AFTER_BOIL), in the mash (IS_MASHED, written by
 * Brewtarget), or unsaid (BeerJSON's default).
 */
function fermentableTiming(f: RecordFields): Json | undefined {
  if (f.bool('ADD_AFTER_BOIL') === true) return { use: 'add_to_fermentation' };
  if (f.bool('IS_MASHED') === true) return { use: 'add_to_mash' };
  return undefined;
}

function fermentable(f: RecordFields): Json {
  const yieldPercent = fermentableYield(f);
  const type = choice(f, 'TYPE', FERMENTABLE_TYPES, 'grain');
  const difference = f.number('COARSE_FINE_DIFF');
  return compact({
    name: f.text('NAME') ?? '',
    type,
    origin: f.text('ORIGIN'),
    producer: f.text('SUPPLIER'),
    grain_group: f.text('TYPE')?.toLowerCase() === 'adjunct' ? 'adjunct' : undefined,
    yield: compact({
      fine_grind: opt(yieldPercent, (v) => q('%', v)),
      coarse_grind:
        yieldPercent === undefined || difference === undefined || difference >= yieldPercent
          ? undefined
          : q('%', Number((yieldPercent - difference).toFixed(4))),
      fine_coarse_difference: opt(difference, (v) => q('%', v)),
      potential: opt(yieldPercent, (v) => q('sg', yieldToPotential(v))),
    }),
    color: q('Lovi', fermentableColour(f)),
    amount: q('kg', f.required('AMOUNT') ?? 0),
    timing: fermentableTiming(f),
  });
}

function hopTiming(f: RecordFields): Json {
  const use = f.text('USE')?.toLowerCase();
  let minutes = f.number('TIME');
  if (minutes === undefined) {
    f.warn('BEERXML_VALUE_DEFAULTED', 'TIME is missing; 0 min used', 'TIME');
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
        'USE',
      );
      return { use: 'add_to_boil', time: timeQuantity(minutes) };
  }
}

/**
 * UTILIZATION (Brewer's Friend's, beside its USER_HOP_USE Whirlpool): the share of the alpha acids the
 * brewer says a whirlpool addition isomerises, in percent. A fraction is not guessed here: 1 can mean 1 %.
 */
function hopUtilization(f: RecordFields): number | undefined {
  const u = f.number('UTILIZATION');
  if (u === undefined || (u > 0 && u <= 100)) return u;
  f.warn(
    'BEERXML_VALUE_UNREADABLE',
    `UTILIZATION ${u} is no percentage between 0 and 100; left out`,
    'UTILIZATION',
  );
  return undefined;
}

function hop(f: RecordFields): Json {
  const form = f.text('FORM');
  return compact({
    name: f.text('NAME') ?? '',
    origin: f.text('ORIGIN'),
    form: form === undefined ? undefined : choice(f, 'FORM', HOP_FORMS, 'pellet'),
    alpha_acid: q('%', f.percent('ALPHA', f.required('ALPHA')) ?? 0),
    beta_acid: opt(f.number('BETA'), (v) => q('%', v)),
    amount: q('kg', f.required('AMOUNT') ?? 0),
    timing: hopTiming(f),
    utilization: opt(hopUtilization(f), (v) => q('%', v)),
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
        'USE',
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

/** BeerXML requires AMOUNT but real files leave it out; BeerJSON requires one too: one package. */
function yeastAmount(f: RecordFields): Quantity {
  const amt = f.number('AMOUNT');
  if (amt === undefined) {
    f.warn('BEERXML_VALUE_DEFAULTED', 'AMOUNT is missing; one package used', 'AMOUNT');
    return q('pkg', 1);
  }
  return (f.bool('AMOUNT_IS_WEIGHT') ?? false) ? q('kg', amt) : q('l', amt);
}

function yeast(f: RecordFields): Json {
  return compact({
    name: f.text('NAME') ?? '',
    type: choice(f, 'TYPE', YEAST_TYPES, 'ale'),
    form: choice(f, 'FORM', identity(YEAST_FORMS), 'liquid'),
    producer: f.text('LABORATORY'),
    product_id: f.text('PRODUCT_ID'),
    amount: yeastAmount(f),
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

/**
 * A mash temperature in °C. Above 100 °C the mash would boil: such a value is °F written where BeerXML
 * wants °C, converted with a warning while it is a plausible °F mash temperature (up to 212 °F).
 */
function mashTemperature(f: RecordFields, tag: string): number | undefined {
  const t = f.number(tag);
  if (t === undefined || t <= 100) return t;
  if (t <= 212) {
    const c = Number(fahrenheitToCelsius(t).toFixed(1));
    f.warn('BEERXML_UNIT_CONVERTED', `${tag} ${t} is above boiling in °C, so °F; read as ${c} °C`, tag);
    return c;
  }
  f.warn('BEERXML_VALUE_UNREADABLE', `${tag} ${t} is no mash temperature in °C or °F`, tag);
  return undefined;
}

function mashStep(f: RecordFields): Json | undefined {
  const temp = mashTemperature(f, 'STEP_TEMP');
  if (temp === undefined) {
    f.warn('BEERXML_VALUE_UNREADABLE', 'STEP_TEMP is missing or unusable; the step is left out', 'STEP_TEMP');
    return undefined;
  }
  return compact({
    name: f.text('NAME') ?? '',
    type: choice(f, 'TYPE', identity(MASH_STEP_TYPES), 'temperature'),
    amount: opt(f.number('INFUSE_AMOUNT'), (v) => q('l', v)),
    step_temperature: q('C', temp),
    step_time: timeQuantity(f.number('STEP_TIME') ?? 0),
    ramp_time: opt(f.number('RAMP_TIME'), timeQuantity),
    end_temperature: opt(mashTemperature(f, 'END_TEMP'), (v) => q('C', v)),
  });
}

function mash(f: RecordFields, reader: FieldReader, origins: Origins): Json | undefined {
  const steps = f
    .list('MASH_STEPS', 'MASH_STEP')
    .map((s, i) => {
      const path = memberPath(`${f.path}/MASH_STEPS`, 'MASH_STEP', i);
      return origins.note(mashStep(reader.record(s, path)), path);
    })
    .filter((s): s is Json => s !== undefined);
  if (steps.length === 0) return undefined;
  let grain = mashTemperature(f, 'GRAIN_TEMP');
  if (grain === undefined) {
    f.warn(
      'BEERXML_VALUE_DEFAULTED',
      'GRAIN_TEMP is missing; 20 °C used (BeerJSON requires it)',
      'GRAIN_TEMP',
    );
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

/**
 * The efficiency of a recipe written by PicoBrew's Recipe Crafter for a Zymatic: its EST_OG does not use the
 * EFFICIENCY it exports but the Zymatic's full-volume mash in the start water, BOIL_SIZE
 * (recipes/calc/zymatic.ts), carried here as the brewhouse efficiency that gives that OG in the batch, with
 * a warning. Without grain, or without a start water, the stated efficiency stays.
 */
function zymaticEfficiency(
  f: RecordFields,
  recipe: { type: string; efficiency: number; batch: number; startWater: number | undefined },
  fermentables: FermentableAddition[],
): Recipe['efficiency'] {
  const { type, efficiency, batch, startWater } = recipe;
  const stated = { brewhouse: q('%', efficiency) };
  if (type === 'extract' || !(batch > 0) || startWater === undefined || !(startWater > 0)) return stated;
  const brewhouse = brewhouseForOg(fermentables, batch, zymaticOg(fermentables, startWater));
  // Rounded as the warning prints it; a start water far out of proportion gives no usable efficiency.
  const used = brewhouse === undefined ? Number.NaN : Number(brewhouse.toFixed(1));
  if (!(used > 0 && used <= 100)) return stated;
  f.warn(
    'BEERXML_EFFICIENCY_REPLACED',
    `EFFICIENCY ${efficiency} % is not the efficiency PicoBrew's Recipe Crafter used for its EST_OG: for a ` +
      `Zymatic it dissolves the grain's extract at ${ZYMATIC_CONVERSION_PERCENT} % conversion in the whole ` +
      `start water (BOIL_SIZE ${startWater} L); cobrew does the same, which is ${used} % into the ${batch} L ` +
      'batch, used as the brewhouse efficiency',
    'EFFICIENCY',
  );
  return { brewhouse: q('%', used), conversion: q('%', ZYMATIC_CONVERSION_PERCENT) };
}

/**
 * BOIL_SIZE as BeerJSON's volume before the boil. A Zymatic's is its start water (the batch plus what the
 * grain, the hops and the machine keep, at the wort's gravity), not the wort that boils: not carried, so
 * the bitterness is not figured in a diluted pre-boil wort.
 */
function preBoilSize(f: RecordFields, boilSize: number | undefined, zymatic: boolean): Quantity | undefined {
  if (boilSize === undefined) return undefined;
  if (!zymatic) return q('l', boilSize);
  f.warn(
    'BEERXML_NOT_CARRIED',
    `BOIL_SIZE ${boilSize} L is the Zymatic's start water, not the wort before the boil; not carried as the pre-boil size`,
    'BOIL_SIZE',
  );
  return undefined;
}

/** Both are read (each may warn), the estimate kept when there is one. */
const estimateFirst = (estimate: number | undefined, measured: number | undefined) => estimate ?? measured;

function recipe(f: RecordFields, reader: FieldReader, origins: Origins): Recipe {
  const sub = (set: string, tag: string, make: (g: RecordFields) => Json) => {
    const members = f.list(set, tag);
    // kleiner-brauhelfer writes a water's fields straight into WATERS, with no <WATER> around them.
    const loose = Object.keys(f.child(set) ?? {}).filter((k) => k !== tag && k !== '#text');
    if (members.length === 0 && loose.length > 0) {
      f.warn(
        'BEERXML_NOT_CARRIED',
        `${set} holds ${loose.slice(0, 3).join(', ')}${loose.length > 3 ? '…' : ''} but no <${tag}> record; left out`,
        set,
      );
    }
    return members.map((r, i) => {
      const path = memberPath(`${f.path}/${set}`, tag, i);
      return origins.note(make(reader.record(r, path)), path);
    });
  };

  const type = choice(f, 'TYPE', RECIPE_TYPES, 'all grain');
  let efficiency = f.percent('EFFICIENCY');
  if (efficiency === undefined) {
    efficiency = type === 'extract' ? 100 : 75;
    f.warn(
      'BEERXML_VALUE_DEFAULTED',
      `EFFICIENCY is missing; ${efficiency} % used (BeerJSON requires it)`,
      'EFFICIENCY',
    );
  }
  const batch = f.required('BATCH_SIZE') ?? 0;
  const boilSize = f.number('BOIL_SIZE');
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
      'EQUIPMENT',
    );
  }
  const fermentables = sub('FERMENTABLES', 'FERMENTABLE', fermentable) as unknown as FermentableAddition[];
  const equipment = f.child('EQUIPMENT')?.NAME;
  const zymatic = isZymaticRecipe(
    typeof equipment === 'string' ? equipment : undefined,
    f.child('ZYMATIC') !== undefined,
  );

  return compact({
    name: f.text('NAME') ?? '',
    type,
    author: f.text('BREWER') ?? '',
    coauthor: f.text('ASST_BREWER'),
    created: isoDate(f),
    batch_size: q('l', batch),
    efficiency: zymatic
      ? zymaticEfficiency(f, { type, efficiency, batch, startWater: boilSize }, fermentables)
      : { brewhouse: q('%', efficiency) },
    style:
      styleRecord === undefined
        ? undefined
        : origins.note(style(reader.record(styleRecord, `${f.path}/STYLE`)), `${f.path}/STYLE`),
    ingredients: compact({
      fermentable_additions: fermentables,
      hop_additions: sub('HOPS', 'HOP', hop),
      miscellaneous_additions: sub('MISCS', 'MISC', misc),
      culture_additions: sub('YEASTS', 'YEAST', yeast),
      water_additions: sub('WATERS', 'WATER', water),
    }),
    mash:
      mashRecord === undefined
        ? undefined
        : origins.note(mash(reader.record(mashRecord, `${f.path}/MASH`), reader, origins), `${f.path}/MASH`),
    notes: f.text('NOTES'),
    // The exporter's estimates first: OG and FG are, in BeerXML, what was measured at brewing.
    original_gravity: opt(estimateFirst(f.displayGravity('EST_OG'), f.gravity('OG')), (v) => q('sg', v)),
    final_gravity: opt(estimateFirst(f.displayGravity('EST_FG'), f.gravity('FG')), (v) => q('sg', v)),
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
            pre_boil_size: preBoilSize(f, boilSize, zymatic),
            boil_time: timeQuantity(boilTime),
          }),
    taste:
      tasteNotes === undefined && tasteRating === undefined
        ? undefined
        : { notes: tasteNotes ?? '', rating: tasteRating ?? 0 },
  }) as unknown as Recipe;
}

/** Which XML element each converted object came from, to name it when the result breaks the schema. */
export class Origins {
  private readonly paths = new Map<object, string>();

  note<T extends Json | undefined>(o: T, path: string): T {
    if (o !== undefined) this.paths.set(o, path);
    return o;
  }

  /**
   * A schema problem (`beerjson.recipes[0].ingredients.culture_additions[1].amount: missing…`) told by the
   * deepest XML element on its way, with the rest of the converted path after it.
   */
  describe(doc: BeerJsonDocument, problem: string, reader: FieldReader): string {
    const colon = problem.indexOf(': ');
    const steps = problem.slice(0, colon).match(/[^.[\]]+/g) ?? [];
    let node: unknown = doc;
    let found: { path: string; rest: string[] } | undefined;
    for (const [i, step] of steps.entries()) {
      node = (node as Record<string, unknown> | undefined)?.[step];
      const path = typeof node === 'object' && node !== null ? this.paths.get(node) : undefined;
      if (path !== undefined) found = { path, rest: steps.slice(i + 1) };
    }
    if (found === undefined) return problem;
    const field = found.rest.length === 0 ? '' : ` (converted field ${found.rest.join('.')})`;
    return `${reader.where(found.path)}${field}: ${problem.slice(colon + 2)}`;
  }
}

/**
 * Reads every recipe of a BeerXML file into one BeerJSON document, checked against the BeerJSON schema;
 * every problem names the XML element and its line.
 */
export function readBeerXml(
  bytes: Buffer,
  what: string,
): { document: BeerJsonDocument; warnings: FormatWarning[] } {
  const { recipes: records, parent, locator, warnings } = parseBeerXml(bytes, what);
  const problems: string[] = [];
  const reader = new FieldReader(locator, warnings, problems);
  const origins = new Origins();
  const recipes = records.map((r: XmlRecord, i) => {
    const path = memberPath(parent, 'RECIPE', i);
    return origins.note(recipe(reader.record(r, path), reader, origins) as unknown as Json, path);
  }) as unknown as Recipe[];
  if (problems.length > 0) throw new BeerXmlInvalidError(what, problems);
  const document: BeerJsonDocument = { beerjson: { version: 1, recipes } };
  const invalid = beerJsonProblems(document);
  if (invalid.length > 0) {
    throw new BeerXmlInvalidError(
      what,
      invalid.map((p) => origins.describe(document, p, reader)),
    );
  }
  return { document, warnings };
}
