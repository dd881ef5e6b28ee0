// Original and final gravity and alcohol. Gravity "points" are (SG − 1) × 1000; the classic
// points-per-pound-per-gallon (ppg) arithmetic is done in SI: 1 ppg = 8.3454 points per kg per litre.
import { KG_PER_POUND, LITRES_PER_US_GALLON } from '../formats/units.js';

/** Points per (kg/L) for one ppg: a pound per US gallon is 0.119826 kg/L. */
export const POINTS_PER_KG_PER_L_PER_PPG = LITRES_PER_US_GALLON / KG_PER_POUND;

export interface ExtractSource {
  /** Mass in kg. */
  kg: number;
  /** Extract potential as specific gravity (1.037 for a typical pale malt). */
  potentialSg: number;
  /** Share of the potential that reaches the wort, 0-1 (grain: efficiency or steeping yield; sugars: 1). */
  efficiency: number;
}

/** OG = 1 + Σ(ppg × lb × efficiency) / gal / 1000, with ppg = (potential − 1) × 1000. */
export function originalGravity(sources: readonly ExtractSource[], litres: number): number {
  let points = 0;
  for (const s of sources) {
    points += (s.potentialSg - 1) * 1000 * s.kg * s.efficiency * POINTS_PER_KG_PER_L_PER_PPG;
  }
  return 1 + points / litres / 1000;
}

/** FG = 1 + (OG − 1)(1 − apparent attenuation), attenuation as a fraction. */
export function finalGravity(og: number, attenuation: number): number {
  return 1 + (og - 1) * (1 - attenuation);
}

/** ABV % = (OG − FG) × 131.25: the common homebrew formula, which BeerXML tools also print. */
export function abv(og: number, fg: number): number {
  return (og - fg) * 131.25;
}
