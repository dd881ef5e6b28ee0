// Bitterness in IBU (mg/L of iso-alpha acids) by Tinseth's and Rager's utilisation models.

export interface BoilHop {
  grams: number;
  /** Alpha acids as a fraction (0.115 for 11.5 %). */
  alpha: number;
  /** Minutes of boil the hop sees (0 at flame-out). */
  minutes: number;
  /**
   * A utilisation the recipe states (a fraction), used instead of either model's: how Brewer's Friend
   * counts a whirlpool hop, whose isomerisation below boiling neither model covers.
   */
  stated?: number;
}

/** IBU of one addition at utilisation `u`. */
const ibuOf = (h: BoilHop, u: number, litres: number): number => (u * h.alpha * h.grams * 1000) / litres;

/** Tinseth: U = 1.65 × 0.000125^(G − 1) × (1 − e^(−0.04 t)) / 4.15. */
export function tinsethUtilisation(gravity: number, minutes: number): number {
  const bigness = 1.65 * 0.000125 ** (gravity - 1);
  const boilTime = (1 - Math.exp(-0.04 * minutes)) / 4.15;
  return bigness * boilTime;
}

/** Rager: U = (18.11 + 13.86 × tanh((t − 31.32) / 18.27)) %. */
export function ragerUtilisation(minutes: number): number {
  return (18.11 + 13.86 * Math.tanh((minutes - 31.32) / 18.27)) / 100;
}

/** IBU = Σ U × alpha × grams × 1000 / litres. */
export function ibuTinseth(hops: readonly BoilHop[], gravity: number, litres: number): number {
  let ibu = 0;
  for (const h of hops) ibu += ibuOf(h, h.stated ?? tinsethUtilisation(gravity, h.minutes), litres);
  return ibu;
}

/**
 * Rager's gravity adjustment GA = max(0, (G − 1.050) / 0.2) divides the model's utilisation by (1 + GA);
 * a stated utilisation is taken as it is.
 */
export function ibuRager(hops: readonly BoilHop[], gravity: number, litres: number): number {
  const ga = Math.max(0, (gravity - 1.05) / 0.2);
  let ibu = 0;
  for (const h of hops) ibu += ibuOf(h, h.stated ?? ragerUtilisation(h.minutes) / (1 + ga), litres);
  return ibu;
}
