// The commons store: recipes with immutable versions, forks with lineage, licences, attribution, and the
// brew logs and ledger kept beside them in <data dir>/recipes.db. Every change is one transaction, and
// every change that is a contribution appends its ledger event in the same transaction.
//
// Entry points for other code (e.g. `cobrew recipe import`): `CommonsStore.open`, then `createRecipe`,
// `addVersion`, `fork`, `getRecipe`, `getVersion`, `listRecipes`, `lineage`, `attribution`.
import { randomUUID } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import type { Clock } from '../../common/clock.js';
import { Consumables } from '../costs/consumables.js';
import { type Tariff, TariffSchema } from '../costs/tariff.js';
import { Ledger, onceKey } from '../ledger/ledger.js';
import { type PotSplitRules, PotSplitRulesSchema, type Weights } from '../ledger/rules.js';
import { type Attribution, buildAttribution } from './attribution.js';
import { Batches } from './batches.js';
import { Bookings } from './bookings.js';
import { BrewLogs } from './brewlogs.js';
import { type Db, openRecipesDb } from './db.js';
import { type CheckedDocument, checkRecipeDocument, renamed } from './document.js';
import {
  ChangeNoteMissingError,
  ForbiddenError,
  NotHomeSpaceError,
  RecipeNotFoundError,
  VersionNotFoundError,
  VisibilityError,
} from './errors.js';
import { type BoardProfileCheck, HardwareCommons } from './hardware.js';
import { checkForkLicence, DEFAULT_LICENCE, licence } from './licences.js';
import { Profiles } from './profiles.js';
import { generateSpaceKey, type SpaceKey } from './space-key.js';
import type { TrustedSpace } from './trust.js';
import type {
  Lineage,
  LineageNode,
  Origin,
  PrivateNode,
  RecipeDetail,
  RecipeSummary,
  Version,
  VersionMeta,
  Viewer,
  Visibility,
} from './types.js';

export interface CommonsOptions {
  clock: Clock;
  /** This space (cobrew.yaml's commons.space): named in attributions, bundles and the ledger. */
  space: { name: string; url?: string | undefined };
  /** The ledger's rule table (cobrew.yaml's commons.weights). */
  weights: Weights;
  /** This space's signing key (space-key.pem of the data dir); a key made for this store's life if absent. */
  key?: SpaceKey;
  /** cobrew.yaml's commons.trustedSpaces: spaces whose bundles may pass on other spaces' recipes. */
  trustedSpaces?: readonly TrustedSpace[];
  /** How pot splits are worked out (commons.potSplit); the defaults when absent. */
  potSplit?: PotSplitRules;
  /** The electricity price batches' energy is costed with (cobrew.yaml's tariff); the defaults when absent. */
  tariff?: Tariff;
  /** Checks a shared board profile document (firmware-bridge's schema, handed in by the application). */
  checkBoardProfile?: BoardProfileCheck;
}

export interface NewRecipe {
  /** One BeerJSON 1.0 document with exactly one recipe. */
  document: unknown;
  author: string;
  note?: string;
  /** SPDX id; CC-BY-SA-4.0 by default. */
  licence?: string;
  visibility?: Visibility;
}

export interface NewVersion {
  document: unknown;
  author: string;
  /** What changed; required. */
  note: string;
}

export interface NewFork {
  author: string;
  /** The parent's licence by default; must be one the parent's licence allows. */
  licence?: string;
  /** The parent's by default; a fork of a private recipe cannot be public. */
  visibility?: Visibility;
  note?: string;
  /** The fork's first document; the parent's by default. */
  document?: unknown;
  /** Renames the recipe in the fork's document. */
  title?: string;
}

export interface RecipeQuery {
  /** Matches titles and authors of any version (case-insensitive for ASCII letters). */
  q?: string;
  author?: string;
  licence?: string;
  limit?: number;
  offset?: number;
}

export interface VersionRow {
  id: string;
  recipe_id: string;
  number: number;
  parent_id: string | null;
  author: string;
  created_at: number;
  note: string;
  title: string;
  document: string;
  sha256: string;
}

interface RecipeRow {
  id: string;
  licence: string;
  visibility: Visibility;
  owner: string;
  created_at: number;
  origin_id: string | null;
  origin_name: string | null;
  origin_url: string | null;
  latest_id: string;
  title: string;
  updated_at: number;
  version_count: number;
  fork_recipe_id: string | null;
  fork_version_id: string | null;
  fork_number: number | null;
  fork_title: string | null;
}

type NodeRow = VersionRow & {
  distance: number;
  licence: string;
  origin_id: string | null;
  origin_name: string | null;
  origin_url: string | null;
  visibility: Visibility;
  owner: string;
  recipe_title: string;
};

const RECIPE_SELECT = `
SELECT r.id, r.licence, r.visibility, r.owner, r.created_at, r.origin_id, r.origin_name, r.origin_url,
  l.id AS latest_id, l.title, l.created_at AS updated_at, l.number AS version_count,
  p.recipe_id AS fork_recipe_id, p.id AS fork_version_id, p.number AS fork_number, p.title AS fork_title
FROM recipes r
JOIN versions l ON l.recipe_id = r.id AND l.number = (SELECT max(number) FROM versions WHERE recipe_id = r.id)
JOIN versions f ON f.recipe_id = r.id AND f.number = 1
LEFT JOIN versions p ON p.id = f.parent_id`;

/** Public, or the viewer's own, or the viewer is an admin. Parameters @viewer and @admin. */
const VISIBLE = `(r.visibility = 'public' OR r.owner = @viewer OR @admin = 1)`;

const NODE_COLUMNS = `v.*, r.licence, r.origin_id, r.origin_name, r.origin_url, r.visibility, r.owner,
  (SELECT title FROM versions WHERE recipe_id = r.id ORDER BY number DESC LIMIT 1) AS recipe_title`;

export const metaOf = (v: VersionRow): VersionMeta => ({
  id: v.id,
  recipeId: v.recipe_id,
  number: v.number,
  parentId: v.parent_id,
  author: v.author,
  createdAt: v.created_at,
  note: v.note,
  title: v.title,
  sha256: v.sha256,
});

export const versionOf = (v: VersionRow): Version => ({ ...metaOf(v), document: JSON.parse(v.document) });

const viewerParams = (viewer: Viewer | null) => ({
  viewer: viewer?.name ?? null,
  admin: viewer?.admin === true ? 1 : 0,
});

/** Escapes LIKE wildcards so that a search for `50%` finds "50%". */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class CommonsStore {
  readonly db: Db;
  readonly clock: Clock;
  readonly space: Origin & { id: string };
  readonly key: SpaceKey;
  readonly trustedSpaces: readonly TrustedSpace[];
  readonly ledger: Ledger;
  readonly brewLogs: BrewLogs;
  readonly bookings: Bookings;
  readonly profiles: Profiles;
  readonly batches: Batches;
  readonly consumables: Consumables;
  readonly potSplit: PotSplitRules;
  readonly tariff: Tariff;
  readonly hardware: HardwareCommons;
  readonly checkBoardProfile: BoardProfileCheck | undefined;

  /** Opens <data dir>/recipes.db (see `recipesDbFile`), or ':memory:'. */
  static open(file: string, opts: CommonsOptions): CommonsStore {
    return new CommonsStore(openRecipesDb(file), opts);
  }

  constructor(db: Db, opts: CommonsOptions) {
    this.db = db;
    this.clock = opts.clock;
    this.key = opts.key ?? generateSpaceKey();
    this.trustedSpaces = opts.trustedSpaces ?? [];
    this.space = { id: this.key.id, name: opts.space.name, url: opts.space.url ?? null };
    this.ledger = new Ledger({ db, clock: opts.clock, weights: opts.weights, space: opts.space.name });
    this.brewLogs = new BrewLogs(this);
    this.bookings = new Bookings(this);
    this.profiles = new Profiles(this);
    this.batches = new Batches(this);
    this.consumables = new Consumables(this);
    this.potSplit = opts.potSplit ?? (Value.Default(PotSplitRulesSchema, {}) as PotSplitRules);
    this.tariff = opts.tariff ?? (Value.Default(TariffSchema, {}) as Tariff);
    this.checkBoardProfile = opts.checkBoardProfile;
    this.hardware = new HardwareCommons(this);
  }

  close(): void {
    this.db.close();
  }

  // ---- recipes and versions ------------------------------------------------------------------------------

  /** A new recipe with its first version; the author owns it. */
  createRecipe(input: NewRecipe): RecipeDetail {
    const checked = checkRecipeDocument(input.document);
    const licenceId = input.licence ?? DEFAULT_LICENCE;
    licence(licenceId);
    const id = randomUUID();
    this.db.transaction(() => {
      this.#insertRecipe(id, licenceId, input.visibility ?? 'public', input.author);
      this.#insertVersion(id, 1, null, input.author, input.note ?? '', checked, 'version');
    })();
    return this.getRecipe(id, { name: input.author, admin: false });
  }

  /** A new version of a recipe made in this space, by its owner or an admin. */
  addVersion(recipeId: string, input: NewVersion, viewer: Viewer): Version {
    const recipe = this.getRecipe(recipeId, viewer);
    if (!recipe.local) throw new NotHomeSpaceError(recipeId, recipe.origin.name);
    if (recipe.owner !== viewer.name && !viewer.admin) {
      throw new ForbiddenError(
        `Only ${recipe.owner} (who made this recipe) or an admin may add versions to it; fork it to change it.`,
      );
    }
    if (input.note.trim() === '') throw new ChangeNoteMissingError();
    const checked = checkRecipeDocument(input.document);
    // The latest version is read inside the transaction (taken at once: IMMEDIATE), so that the server and
    // a command line writing at the same moment cannot both take the same number.
    const id = this.db
      .transaction(() => {
        const latest = this.db
          .prepare('SELECT id, number FROM versions WHERE recipe_id = ? ORDER BY number DESC LIMIT 1')
          .get(recipeId) as { id: string; number: number };
        return this.#insertVersion(
          recipeId,
          latest.number + 1,
          latest.id,
          input.author,
          input.note,
          checked,
          'version',
        );
      })
      .immediate();
    return this.getVersionById(id, viewer);
  }

  /** A new recipe whose first version is made from `parentVersionId`, under a licence the parent allows. */
  fork(parentVersionId: string, input: NewFork, viewer: Viewer): RecipeDetail {
    const parent = this.#node(parentVersionId, viewer);
    const childLicence = input.licence ?? parent.licence;
    checkForkLicence(parent.licence, childLicence);
    const visibility = input.visibility ?? parent.visibility;
    if (visibility === 'public' && parent.visibility !== 'public') {
      throw new VisibilityError(
        `A fork of the private recipe ${parent.recipeId} cannot be public: publish that recipe first, or keep ` +
          'the fork private.',
      );
    }
    let document = input.document ?? this.getVersionById(parentVersionId, viewer).document;
    if (input.title !== undefined) document = renamed(document, input.title);
    const checked = checkRecipeDocument(document);
    const id = randomUUID();
    this.db.transaction(() => {
      this.#insertRecipe(id, childLicence, visibility, input.author);
      this.#insertVersion(id, 1, parentVersionId, input.author, input.note ?? '', checked, 'fork');
    })();
    return this.getRecipe(id, viewer);
  }

  /** Makes a private recipe public, for good: once shared, copies may travel. Its parent must be public. */
  publish(recipeId: string, viewer: Viewer): RecipeDetail {
    const recipe = this.getRecipe(recipeId, viewer);
    if (recipe.visibility === 'public') return recipe;
    if (recipe.owner !== viewer.name && !viewer.admin) {
      throw new ForbiddenError(`Only ${recipe.owner} (who made this recipe) or an admin may publish it.`);
    }
    if (recipe.forkedFrom !== null) {
      const parent = this.db
        .prepare('SELECT visibility FROM recipes WHERE id = ?')
        .get(recipe.forkedFrom.recipeId) as {
        visibility: Visibility;
      };
      if (parent.visibility !== 'public') {
        throw new VisibilityError(
          `Recipe ${recipeId} is a fork of the private recipe ${recipe.forkedFrom.recipeId}: publish that one first.`,
        );
      }
    }
    this.db.prepare(`UPDATE recipes SET visibility = 'public' WHERE id = ?`).run(recipeId);
    return this.getRecipe(recipeId, viewer);
  }

  getRecipe(id: string, viewer: Viewer | null): RecipeDetail {
    const row = this.db.prepare(`${RECIPE_SELECT} WHERE r.id = @id AND ${VISIBLE}`).get({
      id,
      ...viewerParams(viewer),
    }) as RecipeRow | undefined;
    if (row === undefined) throw new RecipeNotFoundError(id);
    const versions = this.db
      .prepare('SELECT * FROM versions WHERE recipe_id = ? ORDER BY number')
      .all(id) as VersionRow[];
    return { ...this.#summary(row), versions: versions.map(metaOf) };
  }

  listRecipes(query: RecipeQuery, viewer: Viewer | null): { recipes: RecipeSummary[]; total: number } {
    const where = [VISIBLE];
    const params: Record<string, unknown> = viewerParams(viewer);
    if (query.q !== undefined && query.q.trim() !== '') {
      where.push(
        `EXISTS (SELECT 1 FROM versions x WHERE x.recipe_id = r.id
           AND (x.title LIKE @q ESCAPE '\\' OR x.author LIKE @q ESCAPE '\\'))`,
      );
      params.q = likePattern(query.q.trim());
    }
    if (query.author !== undefined) {
      where.push('EXISTS (SELECT 1 FROM versions x WHERE x.recipe_id = r.id AND x.author = @author)');
      params.author = query.author;
    }
    if (query.licence !== undefined) {
      where.push('r.licence = @licence');
      params.licence = query.licence;
    }
    const clause = `WHERE ${where.join(' AND ')}`;
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM (${RECIPE_SELECT} ${clause})`).get(params) as { n: number }
    ).n;
    const rows = this.db
      .prepare(`${RECIPE_SELECT} ${clause} ORDER BY l.created_at DESC, r.id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: query.limit ?? 50, offset: query.offset ?? 0 }) as RecipeRow[];
    return { recipes: rows.map((r) => this.#summary(r)), total };
  }

  getVersion(recipeId: string, number: number, viewer: Viewer | null): Version {
    const row = this.db
      .prepare(
        `SELECT v.* FROM versions v JOIN recipes r ON r.id = v.recipe_id
         WHERE v.recipe_id = @recipeId AND v.number = @number AND ${VISIBLE}`,
      )
      .get({ recipeId, number, ...viewerParams(viewer) }) as VersionRow | undefined;
    if (row === undefined) throw new VersionNotFoundError(`${recipeId} #${number}`);
    return versionOf(row);
  }

  getVersionById(id: string, viewer: Viewer | null): Version {
    const row = this.db
      .prepare(
        `SELECT v.* FROM versions v JOIN recipes r ON r.id = v.recipe_id WHERE v.id = @id AND ${VISIBLE}`,
      )
      .get({ id, ...viewerParams(viewer) }) as VersionRow | undefined;
    if (row === undefined) throw new VersionNotFoundError(id);
    return versionOf(row);
  }

  // ---- lineage and attribution ---------------------------------------------------------------------------

  /** Ancestors (oldest first) and the descendants the viewer may see (nearest first) of a version. */
  lineage(versionId: string, viewer: Viewer | null): Lineage {
    const version = this.#node(versionId, viewer);
    return {
      version,
      ancestors: this.#ancestorsFor(versionId, viewer),
      descendants: this.#descendants(versionId, viewer),
    };
  }

  /**
   * Every version a version was made from, oldest first. Not filtered by visibility: a version's ancestors
   * are public whenever it is (a public recipe cannot be forked from a private one), and attribution must
   * keep every earlier notice.
   */
  ancestors(versionId: string): LineageNode[] {
    return this.#ancestorRows(versionId).map((r) => this.#nodeOf(r));
  }

  /**
   * Ancestors as `viewer` may see them: a private one not theirs is a placeholder. None should be (a public
   * version has public ancestors), but recipes imported before bundles were checked may break the rule.
   */
  #ancestorsFor(versionId: string, viewer: Viewer | null): Array<LineageNode | PrivateNode> {
    return this.#ancestorRows(versionId).map((r) =>
      r.visibility === 'public' || viewer?.admin === true || r.owner === viewer?.name
        ? this.#nodeOf(r)
        : { private: true, distance: r.distance },
    );
  }

  #ancestorRows(versionId: string): NodeRow[] {
    return this.db
      .prepare(
        `WITH RECURSIVE up(id, distance) AS (
           SELECT parent_id, 1 FROM versions WHERE id = ? AND parent_id IS NOT NULL
           UNION ALL
           SELECT v.parent_id, up.distance + 1 FROM versions v JOIN up ON v.id = up.id WHERE v.parent_id IS NOT NULL
         )
         SELECT ${NODE_COLUMNS}, up.distance FROM up
         JOIN versions v ON v.id = up.id JOIN recipes r ON r.id = v.recipe_id
         ORDER BY up.distance DESC`,
      )
      .all(versionId) as NodeRow[];
  }

  #descendants(versionId: string, viewer: Viewer | null): LineageNode[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE down(id, distance) AS (
           SELECT id, 1 FROM versions WHERE parent_id = @id
           UNION ALL
           SELECT v.id, down.distance + 1 FROM versions v JOIN down ON v.parent_id = down.id
         )
         SELECT ${NODE_COLUMNS}, down.distance FROM down
         JOIN versions v ON v.id = down.id JOIN recipes r ON r.id = v.recipe_id
         WHERE ${VISIBLE}
         ORDER BY down.distance, v.created_at, v.id`,
      )
      .all({ id: versionId, ...viewerParams(viewer) }) as NodeRow[];
    return rows.map((r) => this.#nodeOf(r));
  }

  /** Title, every author along the lineage, source links, licence and the change made at each step. */
  attribution(versionId: string, viewer: Viewer | null): Attribution {
    const version = this.#node(versionId, viewer);
    return buildAttribution([...this.#ancestorsFor(versionId, viewer), version]);
  }

  // ---- internals -----------------------------------------------------------------------------------------

  /** The version as a lineage node, if the viewer may see it. */
  #node(versionId: string, viewer: Viewer | null): LineageNode {
    const row = this.db
      .prepare(
        `SELECT ${NODE_COLUMNS}, 0 AS distance FROM versions v JOIN recipes r ON r.id = v.recipe_id
         WHERE v.id = @id AND ${VISIBLE}`,
      )
      .get({ id: versionId, ...viewerParams(viewer) }) as NodeRow | undefined;
    if (row === undefined) throw new VersionNotFoundError(versionId);
    return this.#nodeOf(row);
  }

  #nodeOf(r: NodeRow): LineageNode {
    return {
      ...metaOf(r),
      recipeTitle: r.recipe_title,
      licence: r.licence,
      visibility: r.visibility,
      origin: this.originOf(r.origin_id, r.origin_name, r.origin_url),
      distance: r.distance,
    };
  }

  /** A NULL origin means this space; its name and URL come from the configuration of the day. */
  originOf(id: string | null, name: string | null, url: string | null): Origin {
    return name === null ? this.space : { id, name, url };
  }

  #summary(r: RecipeRow): RecipeSummary {
    return {
      id: r.id,
      title: r.title,
      licence: r.licence,
      visibility: r.visibility,
      owner: r.owner,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      versionCount: r.version_count,
      latestVersionId: r.latest_id,
      origin: this.originOf(r.origin_id, r.origin_name, r.origin_url),
      local: r.origin_name === null,
      forkedFrom:
        r.fork_version_id === null
          ? null
          : {
              recipeId: r.fork_recipe_id as string,
              versionId: r.fork_version_id,
              number: r.fork_number as number,
              title: r.fork_title as string,
            },
    };
  }

  #insertRecipe(id: string, licenceId: string, visibility: Visibility, owner: string): void {
    this.db
      .prepare(
        `INSERT INTO recipes (id, licence, visibility, owner, created_at, origin_name, origin_url)
         VALUES (?, ?, ?, ?, ?, NULL, NULL)`,
      )
      .run(id, licenceId, visibility, owner, this.clock.now());
  }

  #insertVersion(
    recipeId: string,
    number: number,
    parentId: string | null,
    author: string,
    note: string,
    doc: CheckedDocument,
    kind: 'version' | 'fork',
  ): string {
    const id = randomUUID();
    const at = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO versions (id, recipe_id, number, parent_id, author, created_at, note, title, document, sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, recipeId, number, parentId, author, at, note, doc.title, doc.text, doc.sha256);
    this.ledger.record({
      contributor: author,
      kind,
      at,
      recipeId,
      versionId: id,
      recordedBy: 'cobrew',
      onceKey: onceKey.version(id),
    });
    return id;
  }
}
