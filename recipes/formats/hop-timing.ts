// When a hop meets the boil. BeerJSON says it with `timing` (use, time, duration, and `step`, a 1-based
// index into the boil's steps); BeerXML with USE (First Wort, Boil, Aroma…) and TIME. Bitterness
// calculations and the BeerXML export both read it here, so they cannot disagree.
import type { HopAddition, Quantity, Recipe } from './beerjson-types.js';
import { toCelsius, toMinutes } from './units.js';

/** Boil length assumed when a recipe has no boil section. */
export const DEFAULT_BOIL_MINUTES = 60;

/** Below this a boil step is not boiling: a heat-up before the boil, a whirlpool, a chill. */
const BOILING_C = 98;

export interface BoilAddition {
  /** first wort: in the kettle before the boil; whirlpool: after it (hop stand, flame-out steep). */
  kind: 'first wort' | 'boil' | 'whirlpool';
  /** Minutes of boil the hop sees. */
  minutes: number;
  /** Minutes a whirlpool hop steeps, when the recipe says. */
  steepMinutes?: number;
}

export function boilMinutesOf(recipe: Recipe): number {
  return recipe.boil === undefined ? DEFAULT_BOIL_MINUTES : toMinutes(recipe.boil.boil_time);
}

/**
 * How a hop meets the boil, or undefined for mash, fermenter and packaging additions. A `timing.step`
 * naming a boil step that heats up to the boil means first wort (the whole boil); one that ends below
 * boiling means whirlpool (no boil). Time 0 with a duration is a flame-out steep. Otherwise `time` is the
 * minutes before the end of the boil, clamped to the boil.
 */
export function boilAddition(hop: HopAddition, recipe: Recipe): BoilAddition | undefined {
  const t = hop.timing;
  if ((t.use ?? 'add_to_boil') !== 'add_to_boil') return undefined;
  const boil = boilMinutesOf(recipe);
  const given = t.time === undefined ? undefined : toMinutes(t.time);
  const steps = (recipe.boil?.boil_steps as Record<string, unknown>[] | undefined) ?? [];
  const step = t.step === undefined ? undefined : steps[t.step - 1];
  const start = step?.start_temperature as Quantity | undefined;
  const end = step?.end_temperature as Quantity | undefined;
  if (end !== undefined && toCelsius(end) < BOILING_C) {
    const steep = given ?? (t.duration === undefined ? undefined : toMinutes(t.duration));
    return steep === undefined
      ? { kind: 'whirlpool', minutes: 0 }
      : { kind: 'whirlpool', minutes: 0, steepMinutes: steep };
  }
  if (start !== undefined && toCelsius(start) < BOILING_C) return { kind: 'first wort', minutes: boil };
  if (given === 0 && t.duration !== undefined) {
    return { kind: 'whirlpool', minutes: 0, steepMinutes: toMinutes(t.duration) };
  }
  return { kind: 'boil', minutes: Math.min(Math.max(given ?? boil, 0), boil) };
}
