// Saved fermentation profiles, under /api/profiles: the list, saving one (a member), one profile, a new
// version of it (its owner or an admin). Each version is credited in the ledger as a `profile` contribution.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import {
  NewProfileSchema,
  NewProfileVersionSchema,
  ProfileParamsSchema,
  SavedProfileListSchema,
  SavedProfileSchema,
} from './schemas.js';
import { author } from './viewer.js';

export const profileRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (app, { store }) => {
  const tags = ['profiles'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'Saved fermentation profiles, newest first',
        response: { 200: SavedProfileListSchema, ...errorResponses(401) },
      },
    },
    async () => ({ profiles: store.profiles.list() }),
  );

  app.post(
    '',
    {
      schema: {
        tags,
        summary: 'Saves a profile in the commons; you own it',
        body: NewProfileSchema,
        response: { 201: SavedProfileSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const saved = store.profiles.create(req.body, author(req));
      reply.code(201);
      return saved;
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A saved profile with its versions and authors',
        params: ProfileParamsSchema,
        response: { 200: SavedProfileSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => store.profiles.get(req.params.id),
  );

  app.post(
    '/:id/versions',
    {
      schema: {
        tags,
        summary: 'Adds a version, saying what changed (its owner or an admin)',
        params: ProfileParamsSchema,
        body: NewProfileVersionSchema,
        response: { 201: SavedProfileSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const saved = store.profiles.addVersion(req.params.id, req.body, author(req));
      reply.code(201);
      return saved;
    },
  );
};
