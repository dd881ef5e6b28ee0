// A brew log's gravity readings, under /api/brewlogs/:id/readings: adding and removing one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import {
  BrewLogParamsSchema,
  NewReadingResponseSchema,
  NewReadingSchema,
  ReadingParamsSchema,
} from './schemas.js';
import { author } from './viewer.js';

export const readingRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (app, { store }) => {
  const tags = ['brew logs'];

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Adds a gravity reading (manual or iSpindel)',
        params: BrewLogParamsSchema,
        body: NewReadingSchema,
        response: { 201: NewReadingResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const reading = store.brewLogs.addReading(req.params.id, req.body, author(req));
      reply.code(201);
      return reading;
    },
  );

  app.delete(
    '/:readingId',
    {
      schema: {
        tags,
        summary: 'Removes a gravity reading',
        params: ReadingParamsSchema,
        response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      store.brewLogs.removeReading(req.params.id, req.params.readingId, author(req));
      return reply.code(204).send();
    },
  );
};
