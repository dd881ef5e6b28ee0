// The commons HTTP API (contract A): recipes, versions, forks, lineage, attribution, licences, brew logs,
// the ledger, pot splits and bundles. Reads need a viewer, writes a member (the dashboard's global access
// check), recording others' contributions a brewer, importing a bundle an admin. Errors are the commons'
// typed errors, answered in the one error shape by the dashboard's error handler.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { calculate, RecipeIncompleteError, roundFigures } from '../calc/index.js';
import { attributionMarkdown, attributionText } from '../commons/attribution.js';
import { BundleSchema, exportBundle } from '../commons/bundle.js';
import { importBundle } from '../commons/bundle-import.js';
import { LoginRequiredError } from '../commons/errors.js';
import { DEFAULT_LICENCE, FORK_RULES, forkLicences, LICENCES } from '../commons/licences.js';
import type { CommonsStore } from '../commons/store.js';
import type { BrewLog, BrewLogSummary, Viewer } from '../commons/types.js';
import { type BeerJsonDocument, type Recipe, recipesOf } from '../formats/index.js';
import { ledgerCsv, ledgerJson } from '../ledger/export.js';
import { splitRecipePot, splitText } from '../ledger/recipe-split.js';
import {
  AsBrewedSchema,
  AttributionResponseSchema,
  BrewLogChangesSchema,
  BrewLogListSchema,
  BrewLogParamsSchema,
  BrewLogQuerySchema,
  BrewLogSchema,
  ContributorListSchema,
  FiguresSchema,
  ImportReportSchema,
  LangQuerySchema,
  LedgerEventSchema,
  LedgerExportQuerySchema,
  LedgerListSchema,
  LedgerQuerySchema,
  LicenceListSchema,
  LineageSchema,
  NewBrewLogSchema,
  NewContributionSchema,
  NewForkSchema,
  NewReadingResponseSchema,
  NewReadingSchema,
  NewRecipeSchema,
  NewVersionSchema,
  PotSplitQuerySchema,
  PotSplitSchema,
  ReadingParamsSchema,
  RecipeDetailSchema,
  RecipeListSchema,
  RecipeParamsSchema,
  RecipeQuerySchema,
  VersionParamsSchema,
  VersionSchema,
} from './schemas.js';

export interface CommonsApiOptions {
  store: CommonsStore;
}

/** A recipe document may be up to 1 MB of JSON (recipes/commons/document.ts); leave room for the rest. */
const DOCUMENT_BODY_LIMIT = 2 * 1024 * 1024;
/** A bundle holds a whole space's public recipes and logs. */
const BUNDLE_BODY_LIMIT = 64 * 1024 * 1024;

/** Who is asking, as the commons sees it; null without a session. */
function viewerOf(req: FastifyRequest): Viewer | null {
  const user = (req as { user?: { name: string; role: string } | null }).user ?? null;
  return user === null ? null : { name: user.name, admin: user.role === 'admin' };
}

/** Writes need someone to credit (the access check already asked for a session; this is for the types). */
function author(req: FastifyRequest): Viewer {
  const viewer = viewerOf(req);
  if (viewer === null) throw new LoginRequiredError();
  return viewer;
}

function withHistory<T extends BrewLogSummary>(log: T): T & { historyUrl: string | null } {
  if (log.fermenterId === null || !log.local) return { ...log, historyUrl: null };
  const to = log.endedAt === null ? '' : `&to=${log.endedAt}`;
  return {
    ...log,
    historyUrl: `/api/fermenters/${encodeURIComponent(log.fermenterId)}/history?from=${log.startedAt}${to}`,
  };
}

function download(reply: FastifyReply, type: string, name: string): void {
  reply.header('content-type', type);
  reply.header('content-disposition', `attachment; filename="${name}"`);
}

export const commonsApi: FastifyPluginAsyncTypebox<CommonsApiOptions> = async (app, { store }) => {
  const recipes = { tags: ['recipes'] };
  const brewlogs = { tags: ['brew logs'] };
  const ledger = { tags: ['ledger'] };

  // ---- recipes -------------------------------------------------------------------------------------------

  app.get(
    '/api/recipes',
    {
      schema: {
        ...recipes,
        summary: 'Recipes you may see, newest change first; q searches titles and authors',
        querystring: RecipeQuerySchema,
        response: { 200: RecipeListSchema },
      },
    },
    async (req) => store.listRecipes(req.query, viewerOf(req)),
  );

  app.post(
    '/api/recipes',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        ...recipes,
        summary: 'A new recipe from a BeerJSON document; you are its author',
        body: NewRecipeSchema,
        response: { 201: RecipeDetailSchema },
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
    '/api/recipes/:id',
    {
      schema: {
        ...recipes,
        summary: 'A recipe with the list of its versions',
        params: RecipeParamsSchema,
        response: { 200: RecipeDetailSchema },
      },
    },
    async (req) => store.getRecipe(req.params.id, viewerOf(req)),
  );

  app.post(
    '/api/recipes/:id/publish',
    {
      schema: {
        ...recipes,
        summary: 'Makes a private recipe public, for good',
        params: RecipeParamsSchema,
        response: { 200: RecipeDetailSchema },
      },
    },
    async (req) => store.publish(req.params.id, author(req)),
  );

  app.post(
    '/api/recipes/:id/versions',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        ...recipes,
        summary: 'A new version (owner or admin; recipes from other spaces are forked instead)',
        params: RecipeParamsSchema,
        body: NewVersionSchema,
        response: { 201: VersionSchema },
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
    '/api/recipes/:id/versions/:number',
    {
      schema: {
        ...recipes,
        summary: 'One version with its BeerJSON document',
        params: VersionParamsSchema,
        response: { 200: VersionSchema },
      },
    },
    async (req) => store.getVersion(req.params.id, req.params.number, viewerOf(req)),
  );

  app.post(
    '/api/recipes/:id/versions/:number/fork',
    {
      bodyLimit: DOCUMENT_BODY_LIMIT,
      schema: {
        ...recipes,
        summary: "A new recipe made from this version, under a licence the parent's allows",
        params: VersionParamsSchema,
        body: NewForkSchema,
        response: { 201: RecipeDetailSchema },
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
    '/api/recipes/:id/versions/:number/figures',
    {
      schema: {
        ...recipes,
        summary: 'OG, FG, ABV, IBU (Tinseth, Rager) and colour calculated from the version, or why not',
        params: VersionParamsSchema,
        response: { 200: FiguresSchema },
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
    '/api/recipes/:id/versions/:number/lineage',
    {
      schema: {
        ...recipes,
        summary: 'Ancestors (oldest first) and descendants (nearest first) of a version; follow parentId',
        params: VersionParamsSchema,
        response: { 200: LineageSchema },
      },
    },
    async (req) => {
      const viewer = viewerOf(req);
      return store.lineage(store.getVersion(req.params.id, req.params.number, viewer).id, viewer);
    },
  );

  app.get(
    '/api/recipes/:id/versions/:number/attribution',
    {
      schema: {
        ...recipes,
        summary: 'Attribution along the lineage, as JSON, plain text and escaped Markdown',
        params: VersionParamsSchema,
        querystring: LangQuerySchema,
        response: { 200: AttributionResponseSchema },
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

  app.get(
    '/api/recipes/:id/pot-split',
    {
      schema: {
        ...ledger,
        summary: "Shares an amount among the contributors of the recipe's lineage, explained line by line",
        params: RecipeParamsSchema,
        querystring: PotSplitQuerySchema,
        response: { 200: PotSplitSchema },
      },
    },
    async (req) => {
      const split = splitRecipePot(
        store,
        req.params.id,
        req.query.amount,
        { version: req.query.version },
        viewerOf(req),
      );
      return { ...split, text: splitText(split) };
    },
  );

  app.get(
    '/api/licences',
    {
      schema: {
        ...recipes,
        summary: 'Licences a recipe may carry, and which licences a fork of each may take',
        response: { 200: LicenceListSchema },
      },
    },
    async () => ({
      default: DEFAULT_LICENCE,
      licences: LICENCES.map((l) => ({
        ...l,
        forkLicences: [...forkLicences(l.id)],
        forkReason: FORK_RULES[l.id]?.reason ?? '',
      })),
    }),
  );

  // ---- brew logs -----------------------------------------------------------------------------------------

  app.get(
    '/api/brewlogs',
    {
      schema: {
        ...brewlogs,
        summary: 'Public brew logs and your own, newest batch first',
        querystring: BrewLogQuerySchema,
        response: { 200: BrewLogListSchema },
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
    '/api/brewlogs',
    {
      schema: {
        ...brewlogs,
        summary: 'Opens a brew log of a recipe version (copied as brewed); you are its brewer',
        body: NewBrewLogSchema,
        response: { 201: BrewLogSchema },
      },
    },
    async (req, reply) => {
      const log = store.brewLogs.create(req.body, author(req));
      reply.code(201);
      return withHistory(log);
    },
  );

  app.get(
    '/api/brewlogs/:id',
    {
      schema: {
        ...brewlogs,
        summary: 'A brew log',
        params: BrewLogParamsSchema,
        response: { 200: BrewLogSchema },
      },
    },
    async (req) => withHistory<BrewLog>(store.brewLogs.get(req.params.id, viewerOf(req))),
  );

  app.patch(
    '/api/brewlogs/:id',
    {
      schema: {
        ...brewlogs,
        summary: 'Changes name, fermenter, time range, notes or visibility (brewer or admin)',
        params: BrewLogParamsSchema,
        body: BrewLogChangesSchema,
        response: { 200: BrewLogSchema },
      },
    },
    async (req) => withHistory(store.brewLogs.update(req.params.id, req.body, author(req))),
  );

  app.delete(
    '/api/brewlogs/:id',
    { schema: { ...brewlogs, summary: 'Removes a brew log (brewer or admin)', params: BrewLogParamsSchema } },
    async (req, reply) => {
      store.brewLogs.remove(req.params.id, author(req));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/brewlogs/:id/readings',
    {
      schema: {
        ...brewlogs,
        summary: 'Adds a gravity reading (manual or iSpindel)',
        params: BrewLogParamsSchema,
        body: NewReadingSchema,
        response: { 201: NewReadingResponseSchema },
      },
    },
    async (req, reply) => {
      const reading = store.brewLogs.addReading(req.params.id, req.body, author(req));
      reply.code(201);
      return reading;
    },
  );

  app.delete(
    '/api/brewlogs/:id/readings/:readingId',
    { schema: { ...brewlogs, summary: 'Removes a gravity reading', params: ReadingParamsSchema } },
    async (req, reply) => {
      store.brewLogs.removeReading(req.params.id, req.params.readingId, author(req));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/brewlogs/:id/beerjson',
    {
      schema: {
        ...brewlogs,
        summary: 'The as-brewed recipe as BeerJSON 1.0 (the snapshot with measured gravities)',
        params: BrewLogParamsSchema,
        response: { 200: AsBrewedSchema },
      },
    },
    async (req, reply) => {
      const doc = store.brewLogs.asBrewed(req.params.id, viewerOf(req));
      download(reply, 'application/json; charset=utf-8', `brewlog-${req.params.id}.json`);
      return doc;
    },
  );

  // ---- ledger --------------------------------------------------------------------------------------------

  app.get(
    '/api/ledger',
    {
      schema: {
        ...ledger,
        summary: 'Ledger events in the order recorded, with the rule table in force',
        querystring: LedgerQuerySchema,
        response: { 200: LedgerListSchema },
      },
    },
    async (req) => {
      const { contributor, kind, recipe, limit, offset } = req.query;
      const page = store.ledger.list({ contributor, kind, recipeId: recipe, limit, offset });
      return { ...page, weights: store.ledger.weights };
    },
  );

  app.get(
    '/api/ledger/export',
    {
      schema: { ...ledger, summary: 'The whole ledger as CSV or JSON', querystring: LedgerExportQuerySchema },
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
    '/api/ledger/events',
    {
      config: { minRole: 'brewer' },
      schema: {
        ...ledger,
        summary: "Records someone's review, translation, profile or hardware contribution (brewer or admin)",
        body: NewContributionSchema,
        response: { 201: LedgerEventSchema },
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

  app.get(
    '/api/contributors',
    {
      schema: {
        ...ledger,
        summary: 'Everyone in the ledger with their events and points',
        response: { 200: ContributorListSchema },
      },
    },
    async () => ({ contributors: store.ledger.contributors(), weights: store.ledger.weights }),
  );

  // ---- bundles -------------------------------------------------------------------------------------------

  app.get(
    '/api/commons/bundle',
    {
      schema: {
        ...recipes,
        summary: 'Every public recipe and brew log as one bundle file',
        response: { 200: BundleSchema },
      },
    },
    async (_req, reply) => {
      const bundle = exportBundle(store);
      download(reply, 'application/json; charset=utf-8', 'cobrew-commons.json');
      return bundle;
    },
  );

  app.post(
    '/api/commons/bundle',
    {
      bodyLimit: BUNDLE_BODY_LIMIT,
      config: { minRole: 'admin' },
      schema: {
        ...recipes,
        summary: "Imports another space's bundle (admin); what is already here is skipped",
        body: BundleSchema,
        response: { 200: ImportReportSchema },
      },
    },
    async (req) => importBundle(store, req.body, { what: 'The uploaded bundle', ledger: true }),
  );
};
