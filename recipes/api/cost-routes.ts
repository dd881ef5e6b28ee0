// What a batch cost, under /api/batches/:id: its energy and consumables (and their export), and recording a
// consumable against it (its owner, co-brewers or an admin).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import { costOfBatch, type EnergySource } from '../costs/cost-of-batch.js';
import { batchCostCsv, batchCostJson } from '../costs/export.js';
import {
  BatchCostSchema,
  ConsumableParamsSchema,
  ConsumableSchema,
  CostExportQuerySchema,
  NewConsumableSchema,
} from './cost-schemas.js';
import { download } from './download.js';
import { BrewLogParamsSchema } from './schemas.js';
import { author, viewerOf } from './viewer.js';

export interface CostRoutesOptions {
  store: CommonsStore;
  /** The outputs' duty (the history); without it the energy is reported unknown. */
  energy?: EnergySource;
}

export const costRoutes: FastifyPluginAsyncTypebox<CostRoutesOptions> = async (app, { store, energy }) => {
  const tags = ['batches'];

  app.get(
    '/costs',
    {
      schema: {
        tags,
        summary: "What a batch cost: its outputs' energy priced with the tariff, and its consumables",
        params: BrewLogParamsSchema,
        response: { 200: BatchCostSchema, ...errorResponses(400, 401, 404, 503) },
      },
    },
    async (req) => costOfBatch(store, energy, req.params.id, viewerOf(req)),
  );

  app.get(
    '/costs/export',
    {
      schema: {
        tags,
        summary: "A batch's costs as CSV or JSON",
        params: BrewLogParamsSchema,
        querystring: CostExportQuerySchema,
        response: {
          200: {
            description: 'The costs as a file, in the format asked for',
            content: {
              'text/csv': { schema: { type: 'string' } },
              'application/json': { schema: { type: 'object' } },
            },
          },
          ...errorResponses(400, 401, 404, 503),
        },
      },
    },
    async (req, reply) => {
      const cost = await costOfBatch(store, energy, req.params.id, viewerOf(req));
      const name = `cobrew-batch-${req.params.id}-costs`;
      if (req.query.format === 'csv') {
        download(reply, 'text/csv; charset=utf-8', `${name}.csv`);
        return batchCostCsv(cost);
      }
      download(reply, 'application/json; charset=utf-8', `${name}.json`);
      return JSON.stringify(batchCostJson(cost, store.clock.now()), null, 2);
    },
  );

  app.post(
    '/consumables',
    {
      schema: {
        tags,
        summary:
          'Records a consumable (yeast, CO2, cleaning…) against a batch (its owner, co-brewers or an admin)',
        params: BrewLogParamsSchema,
        body: NewConsumableSchema,
        response: { 201: ConsumableSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const added = store.consumables.add(req.params.id, req.body, author(req));
      reply.code(201);
      return added;
    },
  );

  app.delete(
    '/consumables/:consumableId',
    {
      schema: {
        tags,
        summary: 'Removes a consumable recorded by mistake (the batch’s owner, co-brewers or an admin)',
        params: ConsumableParamsSchema,
        response: { 204: { type: 'null', description: 'Removed' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      store.consumables.remove(req.params.id, req.params.consumableId, author(req));
      reply.code(204);
    },
  );
};
