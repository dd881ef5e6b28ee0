// Commons bundles: every public recipe (all versions, lineage, licence, attribution) and every public brew
// log of a space in one JSON file, for another cobrew to import, signed with the space's key. Format
// `cobrew-commons-bundle`, version 2, described in docs/commons.md; this TypeBox schema is its definition
// and is checked on import. Authors are written qualified by the space they belong to (`alice@<space id>`).
import { type Static, Type as T } from '@sinclair/typebox';
import { attributionText } from './attribution.js';
import { GRAVITY_MAX, GRAVITY_MIN } from './brewlogs.js';
import { signBundle } from './bundle-sign.js';
import { BundleHardwareSchema, exportHardware } from './hardware-bundle.js';
import { LIBRARY_SPACE_ID, qualified } from './origin.js';
import { PUBLIC_KEY_PATTERN, SPACE_ID_PATTERN } from './space-key.js';
import type { CommonsStore, VersionRow } from './store.js';
import { SPACE_VIEWER } from './types.js';

export const BUNDLE_FORMAT = 'cobrew-commons-bundle';
export const BUNDLE_FORMAT_VERSION = 2;

const Uuid = T.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const Name = T.String({ minLength: 1, maxLength: 200 });
const Text = T.String({ maxLength: 100_000 });
const Time = T.Integer({ minimum: 0 });

const Url = T.Union([T.String({ pattern: '^https?://[^\\s<>"]+$', maxLength: 500 }), T.Null()]);

/** The space a recipe or brew log was made in: its id (see space-key.ts), or cobrew's library. */
export const OriginSchema = T.Object(
  {
    id: T.String({ pattern: `^([0-9a-f]{20}|${LIBRARY_SPACE_ID})$` }),
    name: Name,
    url: Url,
  },
  { additionalProperties: false },
);

/** The space that wrote and signed the bundle; its id must be the one its public key names. */
const SignerSchema = T.Object(
  {
    id: T.String({ pattern: SPACE_ID_PATTERN }),
    name: Name,
    url: Url,
    publicKey: T.String({ pattern: PUBLIC_KEY_PATTERN }),
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

const bundleFields = {
  format: T.Literal(BUNDLE_FORMAT),
  formatVersion: T.Literal(BUNDLE_FORMAT_VERSION),
  exportedAt: T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T' }),
  /** The space that wrote and signed the bundle. */
  space: SignerSchema,
  recipes: T.Array(BundleRecipeSchema),
  brewLogs: T.Array(BundleBrewLogSchema),
  /** Board profiles and reference-board documents; absent when the space shares none. */
  hardware: T.Optional(T.Array(BundleHardwareSchema)),
};

export const BundleSchema = T.Object(
  {
    ...bundleFields,
    /** Ed25519 signature (base64url) by `space.publicKey` over the rest, see bundle-sign.ts. */
    signature: T.String({ pattern: '^[A-Za-z0-9_-]{86}$' }),
  },
  { additionalProperties: false, title: 'cobrew commons bundle, format version 2' },
);
export type Bundle = Static<typeof BundleSchema>;
/** A bundle before it is signed. */
export type BundleContent = Omit<Bundle, 'signature'>;
export type BundleRecipe = Static<typeof BundleRecipeSchema>;
export type BundleVersion = Static<typeof BundleVersionSchema>;
export type BundleBrewLog = Static<typeof BundleBrewLogSchema>;

interface RecipeRow {
  id: string;
  licence: string;
  owner: string;
  created_at: number;
  origin_id: string | null;
  origin_name: string | null;
  origin_url: string | null;
}

/**
 * Every public recipe and public brew log, oldest first, with the same ids they have here, signed with this
 * space's key. Recipes imported before bundles were signed have no verified origin and stay out.
 */
export function exportBundle(store: CommonsStore): Bundle {
  const db = store.db;
  const recipes = db
    .prepare(
      `SELECT * FROM recipes WHERE visibility = 'public' AND (origin_name IS NULL OR origin_id IS NOT NULL)
       ORDER BY created_at, id`,
    )
    .all() as RecipeRow[];
  // Names of people of this space go out qualified by its id; imported ones are stored qualified already.
  const asExported = (name: string, originId: string | null) =>
    originId === null ? qualified(name, store.space.id) : name;
  const versionsOf = db.prepare('SELECT * FROM versions WHERE recipe_id = ? ORDER BY number');
  const bundleRecipes = recipes.map((r): BundleRecipe => {
    const versions = versionsOf.all(r.id) as VersionRow[];
    const latest = versions.at(-1) as VersionRow;
    const origin = store.originOf(r.origin_id, r.origin_name, r.origin_url);
    return {
      id: r.id,
      licence: r.licence,
      owner: asExported(r.owner, r.origin_name),
      createdAt: r.created_at,
      origin: { id: origin.id as string, name: origin.name, url: origin.url },
      versions: versions.map((v) => ({
        id: v.id,
        number: v.number,
        parentId: v.parent_id,
        author: asExported(v.author, r.origin_name),
        createdAt: v.created_at,
        note: v.note,
        sha256: v.sha256,
        document: JSON.parse(v.document),
      })),
      // As anyone reads it: a private ancestor (from an older import) stays a placeholder.
      attribution: attributionText(store.attribution(latest.id, null)),
    };
  });
  // A public log of a private version stays here: the version it points to travels with no bundle.
  const logs = db
    .prepare(
      `SELECT b.id, b.origin_name FROM brewlogs b JOIN versions v ON v.id = b.version_id
       JOIN recipes r ON r.id = v.recipe_id
       WHERE b.visibility = 'public' AND r.visibility = 'public'
         AND (b.origin_name IS NULL OR b.origin_id IS NOT NULL)
       ORDER BY b.started_at, b.id`,
    )
    .all() as Array<{ id: string; origin_name: string | null }>;
  const brewLogs = logs.map(({ id, origin_name }): BundleBrewLog => {
    const log = store.brewLogs.get(id, SPACE_VIEWER);
    return {
      id: log.id,
      versionId: log.versionId,
      name: log.name,
      brewer: asExported(log.brewer, origin_name),
      fermenterId: log.fermenterId,
      startedAt: log.startedAt,
      endedAt: log.endedAt,
      notes: log.notes,
      createdAt: log.createdAt,
      updatedAt: log.updatedAt,
      origin: { id: log.origin.id as string, name: log.origin.name, url: log.origin.url },
      snapshot: log.snapshot,
      readings: log.readings.map((r) => ({ ...r, recordedBy: asExported(r.recordedBy, origin_name) })),
    };
  });
  const { id, name, url } = store.space;
  const hardware = exportHardware(store);
  return signBundle(
    {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      exportedAt: new Date(store.clock.now()).toISOString(),
      space: { id, name, url, publicKey: store.key.publicKey },
      recipes: bundleRecipes,
      brewLogs,
      ...(hardware.length === 0 ? {} : { hardware }),
    },
    store.key,
  );
}
