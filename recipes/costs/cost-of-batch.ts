// A batch's costs as the API answers them: its period on the commons' clock, its outputs' duty from the
// energy source the dashboard hands in (the history), its consumables, priced with the space's tariff.
import type { CommonsStore } from '../commons/store.js';
import type { Viewer } from '../commons/types.js';
import { type BatchCost, type BatchPeriod, batchCost, batchPeriod, type CostedBatch } from './batch-cost.js';
import type { FermenterUse } from './energy.js';

/** Where the outputs' duty comes from: the history of the fermenter(s) the batch occupied. */
export interface EnergySource {
  uses(batch: CostedBatch, period: BatchPeriod): Promise<FermenterUse[]>;
}

export async function costOfBatch(
  store: CommonsStore,
  energy: EnergySource | undefined,
  batchId: string,
  viewer: Viewer | null,
): Promise<BatchCost> {
  const batch = store.batches.get(batchId, viewer);
  const period = batchPeriod(batch, store.clock);
  const consumables = store.consumables.list(batchId, viewer);
  const uses = energy === undefined ? null : await energy.uses(batch, period);
  return batchCost({
    batch,
    period,
    uses,
    unknownEnergy: 'the history is off here, so the outputs’ duty is unknown',
    consumables,
    tariff: store.tariff,
  });
}
