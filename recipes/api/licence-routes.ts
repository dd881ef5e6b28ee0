// GET /api/licences: the licences a recipe may carry and what a fork of each may take.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import { DEFAULT_LICENCE, FORK_RULES, forkLicences, LICENCES } from '../commons/licences.js';
import { LicenceListSchema } from './schemas.js';

export const licenceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      schema: {
        tags: ['recipes'],
        summary: 'Licences a recipe may carry, and which licences a fork of each may take',
        response: { 200: LicenceListSchema, ...errorResponses(401) },
      },
    },
    async () => ({
      default: DEFAULT_LICENCE,
      licences: LICENCES.map((l) => ({
        ...l,
        forkLicences: [...forkLicences(l.id)],
        forkReason: FORK_RULES[l.id]?.reason ?? '',
      })),
    }),
  );
};
