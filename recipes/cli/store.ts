// Opens the recipe commons of a data dir for `cobrew recipe import|export`, with the space's signing key
// (made on first use) and the spaces it trusts.
import { hostname } from 'node:os';
import { Value } from '@sinclair/typebox/value';
import { type Clock, systemClock } from '../../common/clock.js';
import { recipesDbFile } from '../commons/db.js';
import type { BoardProfileCheck } from '../commons/hardware.js';
import { loadOrCreateSpaceKey } from '../commons/space-key.js';
import { CommonsStore } from '../commons/store.js';
import { checkTrustedSpaces, type TrustedSpace } from '../commons/trust.js';
import type { Tariff } from '../costs/tariff.js';
import { type PotSplitRules, type Weights, WeightsSchema } from '../ledger/rules.js';

interface CommonsSettings {
  space?: { name: string; url?: string };
  weights?: Weights;
  trustedSpaces?: TrustedSpace[];
  potSplit?: PotSplitRules;
}

export function openCommonsStore(
  config: { commons?: unknown; tariff?: unknown },
  dataDir: string,
  clock: Clock = systemClock,
  checkBoardProfile?: BoardProfileCheck,
): CommonsStore {
  // cobrew.yaml's `commons` section names the space and the ledger's weights; until it is set, the
  // machine's name and the agreed default weights.
  const commons = (config as { commons?: CommonsSettings }).commons;
  const trustedSpaces = commons?.trustedSpaces ?? [];
  checkTrustedSpaces(trustedSpaces);
  return CommonsStore.open(recipesDbFile(dataDir), {
    clock,
    space: commons?.space ?? { name: hostname() },
    weights: commons?.weights ?? (Value.Default(WeightsSchema, {}) as Weights),
    key: loadOrCreateSpaceKey(dataDir),
    trustedSpaces,
    ...(commons?.potSplit === undefined ? {} : { potSplit: commons.potSplit }),
    ...(config.tariff === undefined ? {} : { tariff: config.tariff as Tariff }),
    ...(checkBoardProfile === undefined ? {} : { checkBoardProfile }),
  });
}
