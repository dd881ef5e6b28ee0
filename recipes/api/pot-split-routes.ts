// GET /api/recipes/:id/pot-split: an amount shared among the contributors of a recipe's lineage.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import { costOfBatch, type EnergySource } from '../costs/cost-of-batch.js';
import { splitRecipePot, splitText } from '../ledger/recipe-split.js';
import { PotSplitQuerySchema, PotSplitSchema, RecipeParamsSchema } from './schemas.js';
import { viewerOf } from './viewer.js';

export const potSplitRoutes: FastifyPluginAsyncTypebox<{
  store: CommonsStore;
  energy?: EnergySource;
}> = async (app, { store, energy }) => {
  app.get(
    '',
    {
      schema: {
        tags: ['ledger'],
        summary: "Shares an amount among the contributors of the recipe's lineage, explained line by line",
        description:
          'With `batch`, and when the community has set commons.potSplit.deductBatchCosts, the batch’s costs ' +
          '(energy and consumables) come off the amount first; `deduction` lists every line taken off.',
        params: RecipeParamsSchema,
        querystring: PotSplitQuerySchema,
        response: { 200: PotSplitSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => {
      const viewer = viewerOf(req);
      const batchId = req.query.batch;
      const deduct =
        batchId === undefined
          ? undefined
          : {
              versionId: store.batches.get(batchId, viewer).versionId,
              cost: await costOfBatch(store, energy, batchId, viewer),
            };
      const split = splitRecipePot(
        store,
        req.params.id,
        req.query.amount,
        { version: req.query.version, ...(deduct === undefined ? {} : { deduct }) },
        viewer,
      );
      return { ...split, text: splitText(split) };
    },
  );
};
