// JSON Schemas (TypeBox) of the commons API: what each route accepts and answers. User content (titles,
// notes, names, documents) travels as JSON strings and values, never as markup. The front-end takes its
// types from them: import nothing that needs Node.
import { Type as T } from '@sinclair/typebox';
import { CONTRIBUTION_KINDS } from '../ledger/rules.js';
import { DeductionSchema, PotSplitRulesResponse } from './cost-schemas.js';

const Id = T.String({ minLength: 1, maxLength: 64 });
const Nullable = <S extends ReturnType<typeof T.String>>(s: S) => T.Union([s, T.Null()]);
const Time = T.Integer({ description: 'epoch milliseconds' });
const NullableTime = T.Union([Time, T.Null()]);
const Visibility = T.Union([T.Literal('public'), T.Literal('private')]);
const Lang = T.Union([T.Literal('en'), T.Literal('fr')], { default: 'en' });
const Note = T.String({ maxLength: 20_000 });
/** A BeerJSON 1.0 document with one recipe; checked against the official schema by the store. */
const Document = T.Unknown({ description: 'BeerJSON 1.0 document holding exactly one recipe' });

export const OriginSchema = T.Object({
  id: Nullable(T.String()),
  name: T.String(),
  url: Nullable(T.String()),
});

export const VersionMetaSchema = T.Object({
  id: T.String(),
  recipeId: T.String(),
  number: T.Integer(),
  parentId: Nullable(T.String()),
  author: T.String(),
  createdAt: Time,
  note: T.String(),
  title: T.String(),
  sha256: T.String(),
});

export const VersionSchema = T.Composite([VersionMetaSchema, T.Object({ document: Document })]);

const RecipeSummaryProps = {
  id: T.String(),
  title: T.String(),
  licence: T.String(),
  visibility: Visibility,
  owner: T.String(),
  createdAt: Time,
  updatedAt: Time,
  versionCount: T.Integer(),
  latestVersionId: T.String(),
  origin: OriginSchema,
  local: T.Boolean(),
  forkedFrom: T.Union([
    T.Object({ recipeId: T.String(), versionId: T.String(), number: T.Integer(), title: T.String() }),
    T.Null(),
  ]),
};
export const RecipeSummarySchema = T.Object(RecipeSummaryProps);
export const RecipeDetailSchema = T.Object({ ...RecipeSummaryProps, versions: T.Array(VersionMetaSchema) });
export const RecipeListSchema = T.Object({ recipes: T.Array(RecipeSummarySchema), total: T.Integer() });

export const RecipeQuerySchema = T.Object({
  q: T.Optional(T.String({ maxLength: 200 })),
  author: T.Optional(T.String({ maxLength: 200 })),
  licence: T.Optional(T.String({ maxLength: 100 })),
  limit: T.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: T.Integer({ minimum: 0, default: 0 }),
});

export const RecipeParamsSchema = T.Object({ id: Id });
export const VersionParamsSchema = T.Object({ id: Id, number: T.Integer({ minimum: 1 }) });

export const NewRecipeSchema = T.Object(
  {
    document: Document,
    note: T.Optional(Note),
    licence: T.Optional(T.String({ description: 'SPDX id; CC-BY-SA-4.0 by default (GET /api/licences)' })),
    visibility: T.Optional(Visibility),
  },
  { additionalProperties: false },
);

export const NewVersionSchema = T.Object(
  { document: Document, note: T.String({ minLength: 1, maxLength: 20_000, description: 'What changed' }) },
  { additionalProperties: false },
);

export const NewForkSchema = T.Object(
  {
    licence: T.Optional(
      T.String({ description: "One the parent's licence allows; the parent's by default" }),
    ),
    visibility: T.Optional(Visibility),
    note: T.Optional(Note),
    title: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
    document: T.Optional(Document),
  },
  { additionalProperties: false },
);

const LineageNodeSchema = T.Composite([
  VersionMetaSchema,
  T.Object({
    recipeTitle: T.String(),
    licence: T.String(),
    visibility: Visibility,
    origin: OriginSchema,
    distance: T.Integer(),
  }),
]);

export const FiguresSchema = T.Object({
  figures: T.Union([
    T.Object({
      og: T.Number(),
      fg: T.Number(),
      abv: T.Number({ description: 'percent' }),
      ibuTinseth: T.Number(),
      ibuRager: T.Number(),
      srm: T.Number(),
      ebc: T.Number(),
    }),
    T.Null(),
  ]),
  problem: T.Union([T.String(), T.Null()], { description: 'Why the figures cannot be calculated' }),
});

/** A version the viewer may not see: "a private version", with no id, title or author. */
const PrivateNodeSchema = T.Object({ private: T.Literal(true), distance: T.Integer() });

export const LineageSchema = T.Object({
  version: LineageNodeSchema,
  ancestors: T.Array(T.Union([PrivateNodeSchema, LineageNodeSchema])),
  descendants: T.Array(LineageNodeSchema),
});

const LicenceSchema = T.Object({
  id: T.String(),
  name: T.String(),
  url: T.String(),
  attribution: T.Boolean(),
});

export const LicenceListSchema = T.Object({
  default: T.String(),
  licences: T.Array(
    T.Composite([LicenceSchema, T.Object({ forkLicences: T.Array(T.String()), forkReason: T.String() })]),
  ),
});

export const LangQuerySchema = T.Object({ lang: Lang });

export const AttributionResponseSchema = T.Object({
  attribution: T.Object({
    versionId: T.String(),
    recipeId: T.String(),
    number: T.Integer(),
    title: T.String(),
    licence: LicenceSchema,
    authors: T.Array(T.String()),
    steps: T.Array(
      T.Union([
        T.Object({ private: T.Literal(true) }),
        T.Object({
          kind: T.Union([T.Literal('created'), T.Literal('revised'), T.Literal('forked')]),
          recipeId: T.String(),
          versionId: T.String(),
          number: T.Integer(),
          title: T.String(),
          author: T.String(),
          createdAt: Time,
          note: T.String(),
          licence: T.String(),
          origin: OriginSchema,
          link: Nullable(T.String()),
          forkedFrom: T.Union([T.Object({ title: T.String(), number: T.Integer() }), T.Null()]),
        }),
      ]),
    ),
  }),
  text: T.String({ description: 'Plain text' }),
  markdown: T.String({ description: 'Markdown with every piece of user text escaped' }),
});

export const PotSplitQuerySchema = T.Object({
  amount: T.String({
    minLength: 1,
    maxLength: 20,
    description: 'Decimal with at most two decimals, e.g. 100.00',
  }),
  version: T.Optional(T.Integer({ minimum: 1, description: 'The latest version by default' })),
  batch: T.Optional(
    T.String({
      minLength: 1,
      maxLength: 64,
      description:
        'A batch of this recipe whose costs come off the amount first (commons.potSplit.deductBatchCosts)',
    }),
  ),
});

export const PotSplitSchema = T.Object({
  recipeId: T.String(),
  versionId: T.String(),
  number: T.Integer(),
  title: T.String(),
  amount: T.String({ description: 'What is shared: the amount asked, less the deduction if any' }),
  deduction: DeductionSchema,
  totalPoints: T.Integer(),
  method: T.String(),
  shares: T.Array(
    T.Object({
      contributor: T.String(),
      points: T.Integer(),
      fraction: T.String(),
      exact: T.String(),
      floor: T.String(),
      extraCent: T.Integer(),
      amount: T.String(),
      lines: T.Array(
        T.Object({
          eventId: T.String(),
          seq: T.Integer(),
          at: Time,
          contributor: T.String(),
          kind: T.String(),
          subject: T.String(),
          rule: T.String(),
          weight: T.Integer(),
          exact: T.String(),
        }),
      ),
    }),
  ),
  text: T.String({ description: 'The split explained line by line' }),
});

// ---- brew logs ----------------------------------------------------------------------------------------------

const ReadingSchema = T.Object({
  id: T.String(),
  at: Time,
  gravity: T.Number(),
  source: T.Union([T.Literal('manual'), T.Literal('ispindel')]),
  note: T.String(),
  recordedBy: T.String(),
});

const BrewLogSummaryProps = {
  id: T.String(),
  recipeId: T.String(),
  versionId: T.String(),
  versionNumber: T.Integer(),
  recipeTitle: T.String(),
  name: T.String(),
  brewer: T.String(),
  fermenterId: Nullable(T.String()),
  startedAt: Time,
  endedAt: NullableTime,
  visibility: Visibility,
  createdAt: Time,
  updatedAt: Time,
  origin: OriginSchema,
  local: T.Boolean(),
  historyUrl: T.Union([T.String(), T.Null()], {
    description: "The fermenter's sensor history over the log's time range (GET, history API), or null",
  }),
};
export const BrewLogSummarySchema = T.Object(BrewLogSummaryProps);
export const BrewLogSchema = T.Object({
  ...BrewLogSummaryProps,
  notes: T.String(),
  readings: T.Array(ReadingSchema),
  snapshot: Document,
});
export const BrewLogListSchema = T.Object({ brewLogs: T.Array(BrewLogSummarySchema) });

export const BrewLogQuerySchema = T.Object({
  recipe: T.Optional(Id),
  version: T.Optional(Id),
  fermenter: T.Optional(Id),
  brewer: T.Optional(T.String({ maxLength: 200 })),
});

const FermenterId = T.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$' });
const BrewLogEditable = {
  name: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
  fermenterId: T.Optional(T.Union([FermenterId, T.Null()])),
  endedAt: T.Optional(NullableTime),
  notes: T.Optional(Note),
  visibility: T.Optional(Visibility),
};
export const NewBrewLogSchema = T.Object(
  { versionId: Id, startedAt: Time, ...BrewLogEditable },
  { additionalProperties: false },
);
export const BrewLogChangesSchema = T.Object(
  { startedAt: T.Optional(Time), ...BrewLogEditable },
  { additionalProperties: false },
);
export const BrewLogParamsSchema = T.Object({ id: Id });
export const ReadingParamsSchema = T.Object({ id: Id, readingId: Id });
export const NewReadingSchema = T.Object(
  {
    at: Time,
    gravity: T.Number({ description: 'Specific gravity, e.g. 1.048' }),
    source: T.Optional(T.Union([T.Literal('manual'), T.Literal('ispindel')])),
    note: T.Optional(Note),
  },
  { additionalProperties: false },
);
export const NewReadingResponseSchema = ReadingSchema;
export const AsBrewedSchema = T.Unknown({ description: 'BeerJSON 1.0 document' });

// ---- batches ------------------------------------------------------------------------------------------------

/** A step of a batch's profile (cobrew's hold or ramp, named; gravity conditions are set on the fermenter). */
export const BatchStepSchema = T.Object(
  {
    name: T.String({ minLength: 1, maxLength: 200 }),
    type: T.Union([T.Literal('hold'), T.Literal('ramp')]),
    targetC: T.Number({ minimum: -10, maximum: 40, description: 'Beer target at the end of the step, °C' }),
    durationH: T.Number({ minimum: 0, maximum: 24 * 365, description: 'Length of the step, hours' }),
  },
  { additionalProperties: false },
);
const BatchSteps = T.Array(BatchStepSchema, { minItems: 1, maxItems: 100 });
export const BatchStepsSchema = T.Object({ steps: BatchSteps });
export const BatchStepsQuerySchema = T.Object({ version: Id });

export const BatchSchema = T.Object({
  ...BrewLogSummaryProps,
  notes: T.String(),
  readings: T.Array(ReadingSchema),
  snapshot: Document,
  fermenterId: FermenterId,
  coBrewers: T.Array(T.String()),
  profile: T.Union([BatchSteps, T.Null()], { description: 'The profile the batch started with' }),
  active: T.Boolean({ description: 'Still in its fermenter' }),
});
export const BatchListSchema = T.Object({ batches: T.Array(BatchSchema) });

const CoBrewers = T.Array(T.String({ minLength: 1, maxLength: 64 }), {
  maxItems: 20,
  description: 'Accounts that control the fermenter with the owner',
});
export const NewBatchSchema = T.Object(
  {
    versionId: Id,
    fermenterId: FermenterId,
    name: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
    coBrewers: T.Optional(CoBrewers),
    notes: T.Optional(Note),
    visibility: T.Optional(Visibility),
    bookingId: T.Optional(Id),
    profile: T.Optional(
      T.Union(
        [T.Literal('recipe'), BatchSteps, T.Object({ savedVersionId: Id }, { additionalProperties: false })],
        {
          description:
            "recipe: the recipe version's fermentation steps (GET /api/batches/steps shows them); steps of your " +
            'own; or a saved profile version (GET /api/profiles). Started on the fermenter with the batch. ' +
            'Absent: none is started.',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export const CoBrewersSchema = T.Object({ coBrewers: CoBrewers }, { additionalProperties: false });

export const FermenterHolderSchema = T.Object({
  fermenterId: FermenterId,
  batchId: T.String(),
  name: T.String(),
  owner: T.String(),
  coBrewers: T.Array(T.String()),
  since: Time,
});
export const FermenterHoldersSchema = T.Object({
  holders: T.Array(FermenterHolderSchema, { description: 'The open batch of each busy fermenter' }),
});

export const BookingSchema = T.Object({
  id: T.String(),
  fermenterId: FermenterId,
  name: T.String(),
  booker: T.String(),
  startsAt: Time,
  endsAt: Time,
  note: T.String(),
  createdAt: Time,
  batchId: Nullable(T.String()),
});
export const BookingListSchema = T.Object({ bookings: T.Array(BookingSchema) });
export const BookingQuerySchema = T.Object({
  fermenter: T.Optional(FermenterId),
  from: T.Optional(
    T.Integer({ minimum: 0, description: 'Only bookings still running at this time (epoch ms)' }),
  ),
});
export const NewBookingSchema = T.Object(
  {
    fermenterId: FermenterId,
    name: T.String({ minLength: 1, maxLength: 200, description: 'The batch it is for' }),
    startsAt: Time,
    endsAt: T.Integer({ description: 'epoch milliseconds: the end of conditioning and cold crash' }),
    note: T.Optional(Note),
  },
  { additionalProperties: false },
);
export const BookingParamsSchema = T.Object({ id: Id });

const ProfileVersionSchema = T.Object({
  id: T.String(),
  profileId: T.String(),
  number: T.Integer(),
  author: T.String(),
  createdAt: Time,
  title: T.String(),
  note: T.String(),
  steps: BatchSteps,
});
export const SavedProfileSchema = T.Object({
  id: T.String(),
  licence: T.String(),
  owner: T.String(),
  createdAt: Time,
  title: T.String(),
  versions: T.Array(ProfileVersionSchema),
  authors: T.Array(T.String(), { description: 'Everyone who wrote a version: the attribution' }),
});
export const SavedProfileListSchema = T.Object({ profiles: T.Array(SavedProfileSchema) });
export const NewProfileSchema = T.Object(
  {
    title: T.String({ minLength: 1, maxLength: 200 }),
    steps: BatchSteps,
    licence: T.Optional(T.String({ description: 'SPDX id; CC-BY-SA-4.0 by default (GET /api/licences)' })),
    note: T.Optional(Note),
  },
  { additionalProperties: false },
);
export const NewProfileVersionSchema = T.Object(
  {
    title: T.String({ minLength: 1, maxLength: 200 }),
    steps: BatchSteps,
    note: T.String({ minLength: 1, maxLength: 20_000, description: 'What changed' }),
  },
  { additionalProperties: false },
);
export const ProfileParamsSchema = T.Object({ id: Id });

// ---- ledger -------------------------------------------------------------------------------------------------

const Kind = T.Union(CONTRIBUTION_KINDS.map((k) => T.Literal(k)));
const WeightsResponse = T.Record(T.String(), T.Integer());

export const LedgerEventSchema = T.Object({
  seq: T.Integer(),
  id: T.String(),
  at: Time,
  recordedAt: Time,
  contributor: T.String(),
  kind: Kind,
  recipeId: Nullable(T.String()),
  versionId: Nullable(T.String()),
  brewlogId: Nullable(T.String()),
  reference: T.String(),
  note: T.String(),
  weight: T.Integer(),
  rule: T.Object({ setting: T.String(), weight: T.Integer(), table: WeightsResponse }),
  space: T.String(),
  recordedBy: T.String(),
  pending: T.Boolean({
    description:
      'Recorded by the contributor for themselves and not yet confirmed by another person: no points',
  }),
  confirmedBy: Nullable(T.String()),
});

/** An event about a recipe the viewer may not see: a placeholder, "a private version". */
export const PrivateLedgerEventSchema = T.Object({ seq: T.Integer(), private: T.Literal(true), kind: Kind });

export const LedgerEventParamsSchema = T.Object({ id: Id });

export const LedgerQuerySchema = T.Object({
  contributor: T.Optional(T.String({ maxLength: 200 })),
  kind: T.Optional(Kind),
  recipe: T.Optional(Id),
  limit: T.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: T.Integer({ minimum: 0, default: 0 }),
});

export const LedgerListSchema = T.Object({
  events: T.Array(T.Union([PrivateLedgerEventSchema, LedgerEventSchema])),
  total: T.Integer(),
  weights: WeightsResponse,
  potSplit: PotSplitRulesResponse,
});

export const LedgerExportQuerySchema = T.Object({
  format: T.Union([T.Literal('csv'), T.Literal('json')], { default: 'json' }),
});

export const NewContributionSchema = T.Object(
  {
    contributor: T.String({ minLength: 1, maxLength: 200 }),
    kind: T.Union([
      T.Literal('review'),
      T.Literal('translation'),
      T.Literal('profile'),
      T.Literal('hardware'),
    ]),
    versionId: T.Optional(Id),
    reference: T.Optional(T.String({ maxLength: 2000 })),
    note: T.Optional(Note),
    at: T.Optional(Time),
  },
  { additionalProperties: false },
);

export const ContributorListSchema = T.Object({
  contributors: T.Array(
    T.Object({ name: T.String(), events: T.Integer(), points: T.Integer(), first: Time, last: Time }),
  ),
  weights: WeightsResponse,
});

export const ImportReportSchema = T.Object({
  recipes: T.Object({ added: T.Integer(), known: T.Integer() }),
  versions: T.Object({ added: T.Integer(), known: T.Integer() }),
  brewLogs: T.Object({ added: T.Integer(), known: T.Integer() }),
  hardware: T.Optional(T.Object({ added: T.Integer(), known: T.Integer() })),
});
