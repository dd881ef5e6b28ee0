// Beer colour by Morey's equation from malt colour units (MCU).
import { EBC_PER_SRM, KG_PER_POUND, LITRES_PER_US_GALLON } from '../formats/units.js';

export interface ColourSource {
  kg: number;
  /** Colour in degrees Lovibond (SRM, as tools treat them for malt). */
  lovibond: number;
}

/** MCU = Σ(lb × °L) / gal. */
export function maltColourUnits(sources: readonly ColourSource[], litres: number): number {
  let sum = 0;
  for (const s of sources) sum += (s.kg / KG_PER_POUND) * s.lovibond;
  return sum / (litres / LITRES_PER_US_GALLON);
}

/** Morey: SRM = 1.4922 × MCU^0.6859. */
export function moreySrm(mcu: number): number {
  return 1.4922 * mcu ** 0.6859;
}

/** EBC = SRM × 1.97. */
export function srmToEbc(srm: number): number {
  return srm * EBC_PER_SRM;
}
