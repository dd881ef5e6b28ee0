// GET /api/recipes/:id/pot-split: an amount shared among the contributors of a recipe's lineage.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import { splitRecipePot, splitText } from '../ledger/recipe-split.js';
import { PotSplitQuerySchema, PotSplitSchema, RecipeParamsSchema } from './schemas.js';
import { viewerOf } from './viewer.js';

export const potSplitRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (app, { store }) => {
  app.get(
    '',
    {
      schema: {
        tags: ['ledger'],
        summary: "Shares an amount among the contributors of the recipe's lineage, explained line by line",
        params: RecipeParamsSchema,
        querystring: PotSplitQuerySchema,
        response: { 200: PotSplitSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req) => {
      const split = splitRecipePot(
        store,
        req.params.id,
        req.query.amount,
        { version: req.query.version },
        viewerOf(req),
      );
      return { ...split, text: splitText(split) };
    },
  );
};
