// GET /api/contributors: everyone in the ledger with their points.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import { ContributorListSchema } from './schemas.js';
import { viewerOf } from './viewer.js';

export const contributorRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (
  app,
  { store },
) => {
  app.get(
    '',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Everyone in the ledger with their events and points',
        response: { 200: ContributorListSchema, ...errorResponses(401) },
      },
    },
    async (req) => ({
      contributors: store.ledger.contributors(viewerOf(req) ?? { name: '', admin: false }),
      weights: store.ledger.weights,
    }),
  );
};
