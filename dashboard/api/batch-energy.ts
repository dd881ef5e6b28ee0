// Where a batch's energy comes from: the history of its fermenter, read at the finest resolution one query
// gives over the batch's period, and each output's declared power (outputs.<name>.loadW) from the
// configuration. The pricing itself is recipes/costs' pure core.

import { dutySegments } from '../../history/duty.js';
import type { HistoryQueries } from '../../history/queries.js';
import { MAX_MAX_POINTS } from '../../history/query-limits.js';
import type { EnergySource } from '../../recipes/costs/cost-of-batch.js';
import type { OutputName } from '../../recipes/costs/energy.js';

/** What the configuration says of a fermenter's outputs. */
export interface FermenterLoads {
  id: string;
  outputs?: { heat?: { loadW?: number | undefined }; cool?: { loadW?: number | undefined } };
}

const OUTPUTS: readonly OutputName[] = ['heat', 'cool'];

export function batchEnergy(
  history: HistoryQueries,
  fermenters: ReadonlyArray<FermenterLoads>,
): EnergySource {
  return {
    async uses(batch, period) {
      const loads = fermenters.find((f) => f.id === batch.fermenterId)?.outputs;
      let answer: Awaited<ReturnType<HistoryQueries['history']>> | null;
      try {
        answer = await history.history({
          fermenterId: batch.fermenterId,
          from: period.from,
          to: period.to,
          fields: [...OUTPUTS],
          maxPoints: MAX_MAX_POINTS,
        });
      } catch (err) {
        // A fermenter with no recorded state yet used no energy that anyone knows of.
        if ((err as { code?: string }).code !== 'COBREW_ERR_HISTORY_UNKNOWN_FERMENTER') throw err;
        answer = null;
      }
      return [
        {
          fermenterId: batch.fermenterId,
          from: period.from,
          to: period.to,
          outputs: OUTPUTS.map((output) => ({
            output,
            loadW: loads?.[output]?.loadW ?? null,
            segments: answer === null ? [] : dutySegments(answer, output),
          })),
        },
      ];
    },
  };
}
