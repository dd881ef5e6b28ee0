// Batches, under /api/batches: who brews what in which fermenter. Starting one (a brewer) opens its brew
// log on a free fermenter and starts its profile there; ending it frees the fermenter. The fermenter side
// (is it ours, run these steps) is the dashboard's, handed over as a FermenterControl.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import { type BatchStep, SPACE_VIEWER } from '../commons/types.js';
import { withHistory } from './brewlog-routes.js';
import {
  BatchListSchema,
  BatchSchema,
  BatchStepsQuerySchema,
  BatchStepsSchema,
  BrewLogParamsSchema,
  CoBrewersSchema,
  FermenterHoldersSchema,
  NewBatchSchema,
} from './schemas.js';
import { author, viewerOf } from './viewer.js';

/** What starting a batch needs of the fermenters. */
export interface FermenterControl {
  /** Throws the typed error for a fermenter this installation does not run. */
  check(fermenterId: string): void;
  /** Starts `steps` on the fermenter for `user` (audited); throws the bridge's refusal. */
  startProfile(fermenterId: string, steps: readonly BatchStep[], user: string): Promise<void>;
}

export interface BatchRoutesOptions {
  store: CommonsStore;
  control: FermenterControl;
}

export const batchRoutes: FastifyPluginAsyncTypebox<BatchRoutesOptions> = async (app, { store, control }) => {
  const tags = ['batches'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'The batches now in a fermenter that you may see, newest first',
        response: { 200: BatchListSchema, ...errorResponses(401) },
      },
    },
    async (req) => ({ batches: store.batches.listOpen(viewerOf(req)).map(withHistory) }),
  );

  app.get(
    '/holders',
    {
      schema: {
        tags,
        summary: "Each busy fermenter's batch: its name, owner and co-brewers (who may control it)",
        response: { 200: FermenterHoldersSchema, ...errorResponses(401) },
      },
    },
    async () => ({ holders: store.batches.holders() }),
  );

  app.get(
    '/steps',
    {
      schema: {
        tags,
        summary: "A recipe version's fermentation steps as cobrew profile steps, to check before starting",
        querystring: BatchStepsQuerySchema,
        response: { 200: BatchStepsSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => ({ steps: store.batches.stepsOf(req.query.version, viewerOf(req)) }),
  );

  app.post(
    '',
    {
      config: { minRole: 'brewer' },
      schema: {
        tags,
        summary: 'Starts a batch on a free fermenter now, with its profile; you own it',
        description:
          '409 COBREW_ERR_FERMENTER_BUSY names the batch holding the fermenter. When the profile cannot be ' +
          'started, the batch is not kept and the bridge’s refusal is answered.',
        body: NewBatchSchema,
        response: { 201: BatchSchema, ...errorResponses(400, 401, 403, 404, 409, 503, 504) },
      },
    },
    async (req, reply) => {
      const viewer = author(req);
      const { profile, ...input } = req.body;
      control.check(input.fermenterId);
      const steps =
        profile === 'recipe'
          ? store.batches.stepsOf(input.versionId, viewer)
          : profile !== undefined && 'savedVersionId' in profile
            ? store.profiles.version(profile.savedVersionId).steps
            : (profile ?? null);
      const batch = store.batches.start({ ...input, profile: steps }, viewer);
      if (steps !== null) {
        try {
          await control.startProfile(input.fermenterId, steps, viewer.name);
        } catch (err) {
          // Nothing half-done: a batch whose profile did not start is not kept.
          store.brewLogs.remove(batch.id, SPACE_VIEWER);
          throw err;
        }
      }
      reply.code(201);
      return withHistory(batch);
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A batch: its brew log, co-brewers and profile',
        params: BrewLogParamsSchema,
        response: { 200: BatchSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => withHistory(store.batches.get(req.params.id, viewerOf(req))),
  );

  app.post(
    '/:id/end',
    {
      schema: {
        tags,
        summary:
          'Ends a batch: closes its brew log and frees the fermenter (its owner, co-brewers or an admin)',
        params: BrewLogParamsSchema,
        response: { 200: BatchSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => withHistory(store.batches.end(req.params.id, author(req))),
  );

  app.put(
    '/:id/co-brewers',
    {
      schema: {
        tags,
        summary: "Sets a batch's co-brewers (its owner or an admin)",
        params: BrewLogParamsSchema,
        body: CoBrewersSchema,
        response: { 200: BatchSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => withHistory(store.batches.setCoBrewers(req.params.id, req.body.coBrewers, author(req))),
  );
};
