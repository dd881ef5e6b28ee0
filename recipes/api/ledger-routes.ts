// The contribution ledger, under /api/ledger: its events, its export, recording someone's contribution.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import { ledgerCsv, ledgerJson } from '../ledger/export.js';
import { download } from './download.js';
import {
  LedgerEventSchema,
  LedgerExportQuerySchema,
  LedgerListSchema,
  LedgerQuerySchema,
  NewContributionSchema,
} from './schemas.js';
import { author } from './viewer.js';

export const ledgerRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (app, { store }) => {
  const tags = ['ledger'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'Ledger events in the order recorded, with the rule table in force',
        querystring: LedgerQuerySchema,
        response: { 200: LedgerListSchema, ...errorResponses(400, 401) },
      },
    },
    async (req) => {
      const { contributor, kind, recipe, limit, offset } = req.query;
      const page = store.ledger.list({ contributor, kind, recipeId: recipe, limit, offset });
      return { ...page, weights: store.ledger.weights, potSplit: store.potSplit };
    },
  );

  app.get(
    '/export',
    {
      schema: {
        tags,
        summary: 'The whole ledger as CSV or JSON',
        querystring: LedgerExportQuerySchema,
        response: {
          200: {
            description: 'The ledger as a file, in the format asked for',
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/json': { schema: { type: 'object' } },
            },
          },
          ...errorResponses(400, 401),
        },
      },
    },
    async (req, reply) => {
      const { events } = store.ledger.list();
      if (req.query.format === 'csv') {
        download(reply, 'text/csv; charset=utf-8', 'cobrew-ledger.csv');
        return ledgerCsv(events);
      }
      download(reply, 'application/json; charset=utf-8', 'cobrew-ledger.json');
      const meta = { space: store.space.name, weights: store.ledger.weights, now: store.clock.now() };
      return JSON.stringify(ledgerJson(events, meta), null, 2);
    },
  );

  app.post(
    '/events',
    {
      config: { minRole: 'brewer' },
      schema: {
        tags,
        summary: "Records someone's review, translation, profile or hardware contribution (brewer or admin)",
        body: NewContributionSchema,
        response: { 201: LedgerEventSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const who = author(req);
      const { versionId, ...rest } = req.body;
      const version = versionId === undefined ? null : store.getVersionById(versionId, who);
      const event = store.ledger.add({
        ...rest,
        recipeId: version?.recipeId ?? null,
        versionId: version?.id ?? null,
        recordedBy: who.name,
      });
      reply.code(201);
      return event;
    },
  );
};
