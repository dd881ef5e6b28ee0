// Yeast activity as a logistic curve: slow start, a heat peak, then tailing off as sugar runs out.

/** Logistic rate at 18 °C, 1/s: with INITIAL_ACTIVITY it puts an ale's heat peak near day 2.5. */
const K_AT_18C = 3e-5;
/** Q10 = 2: the rate doubles every 10 °C. */
const LN_RATE_PER_C = Math.LN2 / 10;
/** Fraction "already fermented" at pitching; sets the lag phase: ln((1 - A0) / A0) / k ≈ 6.5 / k. */
export const INITIAL_ACTIVITY = 1.5e-3;
/** Heat of fermentation per kg of extract fermented (≈ 0.6 MJ/kg). */
const HEAT_J_PER_KG = 6e5;
/** kg of extract per litre per unit of gravity: 20 L at 1.050 holds about 2.6 kg. */
const EXTRACT_KG_PER_L = 2.6;

/** Total heat the batch will release, J. */
export function fermentationHeatJ(volumeL: number, og: number, fg: number): number {
  return HEAT_J_PER_KG * EXTRACT_KG_PER_L * volumeL * Math.max(0, og - fg);
}

/**
 * Logistic rate constant at a beer temperature, 1/s. Yeast go dormant towards 0 °C (a cold crash
 * stops fermentation) and get no faster above 35 °C, where real yeast would be dying.
 */
export function yeastRate(beerC: number): number {
  if (beerC <= 0) return 0;
  const c = Math.min(beerC, 35);
  const k = K_AT_18C * Math.exp(LN_RATE_PER_C * (c - 18));
  return c < 4 ? (k * c) / 4 : k;
}

/** Closed-form logistic: activity after `seconds` at a constant rate `k`, starting from `a0`. */
export function activityAfter(a0: number, k: number, seconds: number): number {
  return 1 / (1 + ((1 - a0) / a0) * Math.exp(-k * seconds));
}
