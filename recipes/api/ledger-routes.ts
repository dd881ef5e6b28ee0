// The contribution ledger, under /api/ledger: its events, its export, recording someone's contribution, and
// confirming one its author recorded for themselves.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import { ledgerCsv, ledgerJson } from '../ledger/export.js';
import type { LedgerEvent } from '../ledger/ledger.js';
import { download } from './download.js';
import {
  LedgerEventParamsSchema,
  LedgerEventSchema,
  LedgerExportQuerySchema,
  LedgerListSchema,
  LedgerQuerySchema,
  NewContributionSchema,
} from './schemas.js';
import { author, viewerOf } from './viewer.js';

/** Who reads the ledger: the route's access check asks for a session, so a null viewer sees only public. */
const reader = (req: FastifyRequest) => viewerOf(req) ?? { name: '', admin: false };

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
      const page = store.ledger.view({ contributor, kind, recipeId: recipe, limit, offset }, reader(req));
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
      // The export is the viewer's ledger: events about recipes private to others are left out.
      const events = store.ledger
        .view({}, reader(req))
        .events.filter((e): e is LedgerEvent => !('private' in e));
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

  app.post(
    '/events/:id/confirm',
    {
      config: { minRole: 'brewer' },
      schema: {
        tags,
        summary:
          'Confirms a contribution its author recorded for themselves, so that it counts (another brewer or an admin)',
        params: LedgerEventParamsSchema,
        response: { 200: LedgerEventSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => store.ledger.confirm(req.params.id, author(req)),
  );
};
