// BeerJSON unit objects to and from SI (kg, litres, °C, minutes, specific gravity). Conversion factors
// are the exact legal definitions (US customary for `gal`, `qt`…, imperial for `igal`, `ipt`…).
import type { Quantity } from './beerjson-types.js';

const KG: Record<string, number> = { mg: 1e-6, g: 1e-3, kg: 1, lb: 0.45359237, oz: 0.45359237 / 16 };

const US_GAL = 3.785411784;
const IMP_GAL = 4.54609;
const LITRES: Record<string, number> = {
  ml: 1e-3,
  l: 1,
  tsp: US_GAL / 768,
  tbsp: US_GAL / 256,
  floz: US_GAL / 128,
  cup: US_GAL / 16,
  pt: US_GAL / 8,
  qt: US_GAL / 4,
  gal: US_GAL,
  bbl: US_GAL * 31,
  ifloz: IMP_GAL / 160,
  ipt: IMP_GAL / 8,
  iqt: IMP_GAL / 4,
  igal: IMP_GAL,
  ibbl: IMP_GAL * 36,
};

const MINUTES: Record<string, number> = { sec: 1 / 60, min: 1, hr: 60, day: 1440, week: 10080 };

export const LITRES_PER_US_GALLON = US_GAL;
export const KG_PER_POUND = KG.lb as number;

export function isMass(q: Quantity): boolean {
  return q.unit in KG;
}

export function isVolume(q: Quantity): boolean {
  return q.unit in LITRES;
}

function factor(table: Record<string, number>, q: Quantity, what: string): number {
  const f = table[q.unit];
  if (f === undefined) throw new RangeError(`${q.unit} is not a ${what} unit`);
  return f;
}

export const toKg = (q: Quantity): number => q.value * factor(KG, q, 'mass');
export const toLitres = (q: Quantity): number => q.value * factor(LITRES, q, 'volume');
export const toMinutes = (q: Quantity): number => q.value * factor(MINUTES, q, 'time');

export const fahrenheitToCelsius = (f: number): number => ((f - 32) * 5) / 9;

export function toCelsius(q: Quantity): number {
  return q.unit === 'F' ? fahrenheitToCelsius(q.value) : q.value;
}

/** Plato to specific gravity (the ASBC polynomial's common inverse). */
export function platoToSg(plato: number): number {
  return 1 + plato / (258.6 - (plato / 258.2) * 227.1);
}

/**
 * An `sg` value of 900 or more was written as SG × 1000 ("1038" for 1.038): several tools do, and the
 * schema cannot tell. `toSg` reads it so; `beerJsonWarnings` reports every such value.
 */
export const isThousandfoldSg = (q: Quantity): boolean => q.unit === 'sg' && q.value >= 900;

/** Specific gravity, from `sg`, `plato` or `brix` (Brix taken as Plato, which it equals for sucrose). */
export function toSg(q: Quantity): number {
  if (q.unit !== 'sg') return platoToSg(q.value);
  return isThousandfoldSg(q) ? q.value / 1000 : q.value;
}

/** EBC per SRM: the factor brewing tools use both ways. */
export const EBC_PER_SRM = 1.97;

/** Colour in SRM (degrees Lovibond are read as SRM, as BeerXML and most tools do for malt colour). */
export function toSrm(q: Quantity): number {
  return q.unit === 'EBC' ? q.value / EBC_PER_SRM : q.value;
}

/**
 * A BeerJSON time: its `value` must be an integer, so whole minutes stay minutes and anything finer is
 * given in whole seconds.
 */
export function timeQuantity(minutes: number): Quantity<'min' | 'sec'> {
  if (Number.isInteger(minutes)) return { unit: 'min', value: minutes };
  return { unit: 'sec', value: Math.round(minutes * 60) };
}

/**
 * Sucrose's extract potential, 46 gravity points per pound per US gallon (1.046), the reference that
 * BeerXML's YIELD percentage is taken against (as BeerSmith and BeerJSON's own converter do).
 */
export const SUCROSE_POTENTIAL_SG = 1.046;

/** BeerXML YIELD (percent of sucrose's extract, fine grind dry basis) to a BeerJSON potential in SG. */
export function yieldToPotential(yieldPercent: number): number {
  return 1 + (yieldPercent / 100) * (SUCROSE_POTENTIAL_SG - 1);
}

export function potentialToYield(potentialSg: number): number {
  return ((potentialSg - 1) / (SUCROSE_POTENTIAL_SG - 1)) * 100;
}
