// Opens the recipe commons of a data dir for `cobrew recipe import|export`.
import { hostname } from 'node:os';
import { Value } from '@sinclair/typebox/value';
import { systemClock } from '../../recipes/commons/clock.js';
import { recipesDbFile } from '../../recipes/commons/db.js';
import { CommonsStore } from '../../recipes/commons/store.js';
import { type Weights, WeightsSchema } from '../../recipes/ledger/rules.js';
import type { CobrewConfig } from '../config/schema.js';

interface CommonsSettings {
  space?: { name: string; url?: string };
  weights?: Weights;
}

export function openCommonsStore(config: CobrewConfig, dataDir: string): CommonsStore {
  // cobrew.yaml's `commons` section names the space and the ledger's weights; until it is set, the
  // machine's name and the agreed default weights.
  const commons = (config as { commons?: CommonsSettings }).commons;
  return CommonsStore.open(recipesDbFile(dataDir), {
    clock: systemClock,
    space: commons?.space ?? { name: hostname() },
    weights: commons?.weights ?? (Value.Default(WeightsSchema, {}) as Weights),
  });
}
