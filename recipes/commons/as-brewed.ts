// The as-brewed recipe of a brew log: the snapshot of the version brewed, with what was measured. The first
// gravity reading is the original gravity; with two or more, the last is the final gravity and the
// strength follows (ABV ≈ (OG − FG) × 131.25). The brew day becomes the recipe's date.
import type { BrewLog } from './types.js';

interface RecipeFields {
  created?: string;
  original_gravity?: { unit: 'sg'; value: number };
  final_gravity?: { unit: 'sg'; value: number };
  alcohol_by_volume?: { unit: '%'; value: number };
}

export function asBrewedDocument(log: Pick<BrewLog, 'snapshot' | 'readings' | 'startedAt'>): unknown {
  const doc = structuredClone(log.snapshot) as { beerjson: { recipes: RecipeFields[] } };
  const recipe = doc.beerjson.recipes[0];
  if (recipe === undefined) return doc;
  recipe.created = new Date(log.startedAt).toISOString().slice(0, 10);
  const readings = [...log.readings].sort((a, b) => a.at - b.at);
  const first = readings[0];
  const last = readings.at(-1);
  if (first !== undefined) recipe.original_gravity = { unit: 'sg', value: first.gravity };
  if (first !== undefined && last !== undefined && readings.length >= 2) {
    recipe.final_gravity = { unit: 'sg', value: last.gravity };
    const abv = (first.gravity - last.gravity) * 131.25;
    recipe.alcohol_by_volume = { unit: '%', value: Math.round(abv * 100) / 100 };
  }
  return doc;
}
