// Recipes, under /api/recipes: the list, a new recipe, one recipe with its versions, publishing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import type { CommonsStore } from '../commons/store.js';
import { DOCUMENT_BODY_LIMIT } from './body-limits.js';
import {
  NewRecipeSchema,
  RecipeDetailSchema,
  RecipeListSchema,
  RecipeParamsSchema,
  RecipeQuerySchema,
} from './schemas.js';
import { author, viewerOf } from './viewer.js';

export const recipeRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (app, { store }) => {
  const tags = ['recipes'];

  app.get(
    '',
    {
      schema: {
        tags,
        summary: 'Recipes you may see, newest change first; q searches titles and authors',
        querystring: RecipeQuerySchema,
        response: { 200: RecipeListSchema, ...errorResponses(400, 401) },
      },
    },
    async (req) => store.listRecipes(req.query, viewerOf(req)),
  );

  app.post(
    '',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'A new recipe from a BeerJSON document; you are its author',
        body: NewRecipeSchema,
        response: { 201: RecipeDetailSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const who = author(req);
      const { document, note, licence, visibility } = req.body;
      reply.code(201);
      return store.createRecipe({ document, author: who.name, note, licence, visibility });
    },
  );

  app.get(
    '/:id',
    {
      schema: {
        tags,
        summary: 'A recipe with the list of its versions',
        params: RecipeParamsSchema,
        response: { 200: RecipeDetailSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => store.getRecipe(req.params.id, viewerOf(req)),
  );

  app.post(
    '/:id/publish',
    {
      schema: {
        tags,
        summary: 'Makes a private recipe public, for good',
        params: RecipeParamsSchema,
        response: { 200: RecipeDetailSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => store.publish(req.params.id, author(req)),
  );
};
