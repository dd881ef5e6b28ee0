// Brew logs, under /api/brewlogs: the list, a new log, one log, changing and removing it, its as-brewed
// BeerJSON.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import type { BrewLog, BrewLogSummary } from '../commons/types.js';
import { download } from './download.js';
import {
  AsBrewedSchema,
  BrewLogChangesSchema,
  BrewLogListSchema,
  BrewLogParamsSchema,
  BrewLogQuerySchema,
  BrewLogSchema,
  NewBrewLogSchema,
} from './schemas.js';
import { author, viewerOf } from './viewer.js';

/** A log brewed here in a fermenter links to that fermenter's history over the log's time range. */
export function withHistory<L extends BrewLogSummary>(log: L): L & { historyUrl: string | null } {
  if (log.fermenterId === null || !log.local) return { ...log, historyUrl: null };
  const to = log.endedAt === null ? '' : `&to=${log.endedAt}`;
  return {
    ...log,
    historyUrl: `/api/fermenters/${encodeURIComponent(log.fermenterId)}/history?from=${log.startedAt}${to}`,
  };
}

export const brewLogRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (app, { store }) => {
  const tags = ['brew logs'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'Public brew logs and your own, newest batch first',
        querystring: BrewLogQuerySchema,
        response: { 200: BrewLogListSchema, ...errorResponses(400, 401) },
      },
    },
    async (req) => {
      const { recipe, version, fermenter, brewer } = req.query;
      const list = store.brewLogs.list(
        { recipeId: recipe, versionId: version, fermenterId: fermenter, brewer },
        viewerOf(req),
      );
      return { brewLogs: list.map(withHistory) };
    },
  );

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Opens a brew log of a recipe version (copied as brewed); you are its brewer',
        body: NewBrewLogSchema,
        response: { 201: BrewLogSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const log = store.brewLogs.create(req.body, author(req));
      reply.code(201);
      return withHistory(log);
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A brew log',
        params: BrewLogParamsSchema,
        response: { 200: BrewLogSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => withHistory<BrewLog>(store.brewLogs.get(req.params.id, viewerOf(req))),
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Changes name, fermenter, time range, notes or visibility (brewer or admin)',
        params: BrewLogParamsSchema,
        body: BrewLogChangesSchema,
        response: { 200: BrewLogSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => withHistory(store.brewLogs.update(req.params.id, req.body, author(req))),
  );

  app.delete(
    '/:id',
    {
      schema: {
        tags,
        summary: 'Removes a brew log (brewer or admin)',
        params: BrewLogParamsSchema,
        response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      store.brewLogs.remove(req.params.id, author(req));
      return reply.code(204).send();
    },
  );

  app.get(
    '/:id/beerjson',
    {
      schema: {
        tags,
        summary: 'The as-brewed recipe as BeerJSON 1.0 (the snapshot with measured gravities)',
        params: BrewLogParamsSchema,
        response: { 200: AsBrewedSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const doc = store.brewLogs.asBrewed(req.params.id, viewerOf(req));
      download(reply, 'application/json; charset=utf-8', `brewlog-${req.params.id}.json`);
      return doc;
    },
  );
};
