// A recipe's versions, under /api/recipes/:id/versions: a new version, one version, a fork of it, and what
// is worked out from it (figures, lineage, attribution).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../common/error-schema.js';
import { calculate, RecipeIncompleteError, roundFigures } from '../calc/index.js';
import { attributionMarkdown, attributionText } from '../commons/attribution.js';
import type { CommonsStore } from '../commons/store.js';
import { type BeerJsonDocument, type Recipe, recipesOf } from '../formats/index.js';
import { DOCUMENT_BODY_LIMIT } from './body-limits.js';
import {
  AttributionResponseSchema,
  FiguresSchema,
  LangQuerySchema,
  LineageSchema,
  NewForkSchema,
  NewVersionSchema,
  RecipeDetailSchema,
  RecipeParamsSchema,
  VersionParamsSchema,
  VersionSchema,
} from './schemas.js';
import { author, viewerOf } from './viewer.js';

export const versionRoutes: FastifyPluginAsyncTypebox<{ store: CommonsStore }> = async (app, { store }) => {
  const tags = ['recipes'];

  app.post(
    '',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'A new version (owner or admin; recipes from other spaces are forked instead)',
        params: RecipeParamsSchema,
        body: NewVersionSchema,
        response: { 201: VersionSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const who = author(req);
      const version = store.addVersion(req.params.id, { ...req.body, author: who.name }, who);
      reply.code(201);
      return version;
    },
  );

  app.get(
    '/:number',
    {
      schema: {
        tags,
        summary: 'One version with its BeerJSON document',
        params: VersionParamsSchema,
        response: { 200: VersionSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => store.getVersion(req.params.id, req.params.number, viewerOf(req)),
  );

  app.post(
    '/:number/fork',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        tags,
        summary: "A new recipe made from this version, under a licence the parent's allows",
        params: VersionParamsSchema,
        body: NewForkSchema,
        response: { 201: RecipeDetailSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const who = author(req);
      const parent = store.getVersion(req.params.id, req.params.number, who);
      const fork = store.fork(parent.id, { ...req.body, author: who.name }, who);
      reply.code(201);
      return fork;
    },
  );

  app.get(
    '/:number/figures',
    {
      schema: {
        tags,
        summary: 'OG, FG, ABV, IBU (Tinseth, Rager) and colour calculated from the version, or why not',
        params: VersionParamsSchema,
        response: { 200: FiguresSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => {
      const version = store.getVersion(req.params.id, req.params.number, viewerOf(req));
      const [recipe] = recipesOf(version.document as BeerJsonDocument);
      try {
        return { figures: roundFigures(calculate(recipe as Recipe)), problem: null };
      } catch (err) {
        if (err instanceof RecipeIncompleteError) return { figures: null, problem: err.message };
        throw err;
      }
    },
  );

  app.get(
    '/:number/lineage',
    {
      schema: {
        tags,
        summary: 'Ancestors (oldest first) and descendants (nearest first) of a version; follow parentId',
        params: VersionParamsSchema,
        response: { 200: LineageSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => {
      const viewer = viewerOf(req);
      return store.lineage(store.getVersion(req.params.id, req.params.number, viewer).id, viewer);
    },
  );

  app.get(
    '/:number/attribution',
    {
      schema: {
        tags,
        summary: 'Attribution along the lineage, as JSON, plain text and escaped Markdown',
        params: VersionParamsSchema,
        querystring: LangQuerySchema,
        response: { 200: AttributionResponseSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => {
      const viewer = viewerOf(req);
      const version = store.getVersion(req.params.id, req.params.number, viewer);
      const attribution = store.attribution(version.id, viewer);
      return {
        attribution,
        text: attributionText(attribution, req.query.lang),
        markdown: attributionMarkdown(attribution, req.query.lang),
      };
    },
  );
};
