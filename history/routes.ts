// The history API (contract B) as a fastify plugin: every route is a GET, so a viewer may use it.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { errorResponses } from '../common/error-schema.js';
import {
  CsvQuerySchema,
  EventListSchema,
  HistoryAnswerSchema,
  HistoryParamsSchema,
  HistoryQuerySchema,
  IncidentListSchema,
  IncidentQuerySchema,
  RangeQuerySchema,
} from './api-schema.js';
import type { HistoryQueries } from './queries.js';

const fieldList = (fields: string | undefined) => (fields === undefined ? undefined : fields.split(','));

export const historyRoutes: FastifyPluginAsyncTypebox<{ history: HistoryQueries }> = async (app, opts) => {
  const { history } = opts;

  app.get(
    '/api/fermenters/:id/history',
    {
      schema: {
        tags: ['history'],
        summary: "A fermenter's history, at most maxPoints points with their min/mean/max (columnar)",
        params: HistoryParamsSchema,
        querystring: HistoryQuerySchema,
        response: { 200: HistoryAnswerSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (req) => {
      const { from, to, fields, maxPoints } = req.query;
      return history.history({ fermenterId: req.params.id, from, to, fields: fieldList(fields), maxPoints });
    },
  );

  app.get(
    '/api/fermenters/:id/history.csv',
    {
      schema: {
        tags: ['history'],
        summary: "A fermenter's raw readings as CSV, streamed",
        params: HistoryParamsSchema,
        querystring: CsvQuerySchema,
        response: {
          200: T.Any({ description: 'text/csv, streamed' }),
          ...errorResponses(400, 401, 404, 503),
        },
      },
    },
    async (req, reply) => {
      const { from, to, fields } = req.query;
      const chunks = await history.csv({ fermenterId: req.params.id, from, to, fields: fieldList(fields) });
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${csvName(req.params.id)}"`);
      return reply.send(Readable.from(chunks));
    },
  );

  app.get(
    '/api/fermenters/:id/events',
    {
      schema: {
        tags: ['history'],
        summary: 'Incidents and changes of mode, setpoint and profile step, oldest first',
        params: HistoryParamsSchema,
        querystring: RangeQuerySchema,
        response: { 200: EventListSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (req) => ({ events: await history.events({ fermenterId: req.params.id, ...req.query }) }),
  );

  app.get(
    '/api/incidents',
    {
      schema: {
        tags: ['history'],
        summary: 'Recorded safety incidents, newest first',
        querystring: IncidentQuerySchema,
        response: { 200: IncidentListSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (req) => {
      const { fermenter, from, to, limit } = req.query;
      return { incidents: await history.incidents({ fermenterId: fermenter, from, to, limit }) };
    },
  );
};

/** A file name safe in a header whatever the fermenter id holds. */
function csvName(id: string): string {
  return `cobrew-${id.replace(/[^A-Za-z0-9_-]+/g, '_')}.csv`;
}
