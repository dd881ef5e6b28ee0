// Commons bundles: every public recipe (all versions, lineage, licence, attribution) and every public brew
// log of a space in one JSON file, for another cobrew to import. Format `cobrew-commons-bundle`, version 1,
// described in docs/commons.md; this TypeBox schema is its definition and is checked on import.
import { type Static, Type as T } from '@sinclair/typebox';
import { attributionText } from './attribution.js';
import { GRAVITY_MAX, GRAVITY_MIN } from './brewlogs.js';
import { BundleHardwareSchema, exportHardware } from './hardware-bundle.js';
import type { CommonsStore, VersionRow } from './store.js';
import { SPACE_VIEWER } from './types.js';

export const BUNDLE_FORMAT = 'cobrew-commons-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

const Uuid = T.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const Name = T.String({ minLength: 1, maxLength: 200 });
const Text = T.String({ maxLength: 100_000 });
const Time = T.Integer({ minimum: 0 });

export const OriginSchema = T.Object(
  {
    name: Name,
    url: T.Union([T.String({ pattern: '^https?://[^\\s<>"]+$', maxLength: 500 }), T.Null()]),
  },
  { additionalProperties: false },
);

const BundleVersionSchema = T.Object(
  {
    id: Uuid,
    number: T.Integer({ minimum: 1 }),
    parentId: T.Union([Uuid, T.Null()]),
    author: Name,
    createdAt: Time,
    note: Text,
    sha256: T.String({ pattern: '^[0-9a-f]{64}$' }),
    /** One BeerJSON 1.0 document with one recipe; checked against the BeerJSON schema on import. */
    document: T.Unknown(),
  },
  { additionalProperties: false },
);

const BundleRecipeSchema = T.Object(
  {
    id: Uuid,
    licence: T.String({ minLength: 1 }),
    owner: Name,
    createdAt: Time,
    origin: OriginSchema,
    versions: T.Array(BundleVersionSchema, { minItems: 1 }),
    /** The latest version's attribution, in English, for people reading the file; regenerated on import. */
    attribution: Text,
  },
  { additionalProperties: false },
);

const BundleReadingSchema = T.Object(
  {
    id: Uuid,
    at: Time,
    gravity: T.Number({ minimum: GRAVITY_MIN, maximum: GRAVITY_MAX }),
    source: T.Union([T.Literal('manual'), T.Literal('ispindel')]),
    note: Text,
    recordedBy: Name,
  },
  { additionalProperties: false },
);

const BundleBrewLogSchema = T.Object(
  {
    id: Uuid,
    versionId: Uuid,
    name: Name,
    brewer: Name,
    fermenterId: T.Union([T.String({ maxLength: 64 }), T.Null()]),
    startedAt: Time,
    endedAt: T.Union([Time, T.Null()]),
    notes: Text,
    createdAt: Time,
    updatedAt: Time,
    origin: OriginSchema,
    snapshot: T.Unknown(),
    readings: T.Array(BundleReadingSchema),
  },
  { additionalProperties: false },
);

export const BundleSchema = T.Object(
  {
    format: T.Literal(BUNDLE_FORMAT),
    formatVersion: T.Literal(BUNDLE_FORMAT_VERSION),
    exportedAt: T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T' }),
    /** The space that wrote the bundle. */
    space: OriginSchema,
    recipes: T.Array(BundleRecipeSchema),
    brewLogs: T.Array(BundleBrewLogSchema),
    /** Board profiles and reference-board documents; absent when the space shares none. */
    hardware: T.Optional(T.Array(BundleHardwareSchema)),
  },
  { additionalProperties: false, title: 'cobrew commons bundle, format version 1' },
);
export type Bundle = Static<typeof BundleSchema>;
export type BundleRecipe = Static<typeof BundleRecipeSchema>;
export type BundleVersion = Static<typeof BundleVersionSchema>;
export type BundleBrewLog = Static<typeof BundleBrewLogSchema>;

interface RecipeRow {
  id: string;
  licence: string;
  owner: string;
  created_at: number;
  origin_name: string | null;
  origin_url: string | null;
}

/** Every public recipe and public brew log, oldest first, with the same ids they have here. */
export function exportBundle(store: CommonsStore): Bundle {
  const db = store.db;
  const recipes = db
    .prepare(`SELECT * FROM recipes WHERE visibility = 'public' ORDER BY created_at, id`)
    .all() as RecipeRow[];
  const versionsOf = db.prepare('SELECT * FROM versions WHERE recipe_id = ? ORDER BY number');
  const bundleRecipes = recipes.map((r): BundleRecipe => {
    const versions = versionsOf.all(r.id) as VersionRow[];
    const latest = versions.at(-1) as VersionRow;
    return {
      id: r.id,
      licence: r.licence,
      owner: r.owner,
      createdAt: r.created_at,
      origin: store.originOf(r.origin_name, r.origin_url),
      versions: versions.map((v) => ({
        id: v.id,
        number: v.number,
        parentId: v.parent_id,
        author: v.author,
        createdAt: v.created_at,
        note: v.note,
        sha256: v.sha256,
        document: JSON.parse(v.document),
      })),
      attribution: attributionText(store.attribution(latest.id, SPACE_VIEWER)),
    };
  });
  const logs = db
    .prepare(`SELECT id FROM brewlogs WHERE visibility = 'public' ORDER BY started_at, id`)
    .all() as Array<{ id: string }>;
  const brewLogs = logs.map(({ id }): BundleBrewLog => {
    const log = store.brewLogs.get(id, SPACE_VIEWER);
    return {
      id: log.id,
      versionId: log.versionId,
      name: log.name,
      brewer: log.brewer,
      fermenterId: log.fermenterId,
      startedAt: log.startedAt,
      endedAt: log.endedAt,
      notes: log.notes,
      createdAt: log.createdAt,
      updatedAt: log.updatedAt,
      origin: log.origin,
      snapshot: log.snapshot,
      readings: log.readings,
    };
  });
  const hardware = exportHardware(store);
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    exportedAt: new Date(store.clock.now()).toISOString(),
    space: store.space,
    recipes: bundleRecipes,
    brewLogs,
    ...(hardware.length === 0 ? {} : { hardware }),
  };
}
