// Imports a commons bundle in one transaction: all of it or nothing. Ids are global, so what this space
// already holds is recognised and skipped (importing the same bundle twice adds nothing), and a version
// that differs from the copy held here is refused as a conflict. The bundle must be signed by the space it
// names; what it may add depends on who signed it, never on what it says of itself:
// - versions of a recipe held here only when signed by the recipe's own space (the library's only by the
//   code that loads it; recipes made here by no bundle);
// - new recipes and brew logs of the signing space, from any space;
// - new recipes and brew logs made elsewhere only from this space itself or one in commons.trustedSpaces.
// Imported people are named `name@<space id>` (origin.ts), so they never merge with accounts here, and no
// bundle may speak as this space, by id or by name. Nothing private here may be exposed by an import: a
// public fork or a public brew log of a version private here is refused.
import { Ajv } from 'ajv';
import { onceKey } from '../ledger/ledger.js';
import {
  type Bundle,
  type BundleBrewLog,
  type BundleRecipe,
  BundleSchema,
  type BundleVersion,
} from './bundle.js';
import { verifyBundle } from './bundle-sign.js';
import { checkRecipeDocument } from './document.js';
import { BundleConflictError, BundleInvalidError, BundleOriginError } from './errors.js';
import { type HardwareImport, importHardware } from './hardware-bundle.js';
import { checkForkLicence, licence } from './licences.js';
import { LIBRARY_SPACE_ID, qualified } from './origin.js';
import type { CommonsStore, VersionRow } from './store.js';
import { isTrusted } from './trust.js';

export interface ImportOptions {
  /** Names the bundle in errors, e.g. its file name. */
  what: string;
  /**
   * Record the imported versions, forks and brew logs in the ledger, credited to their authors (true for
   * bundles from other spaces; false for cobrew's own library).
   */
  ledger: boolean;
}

export interface ImportReport {
  recipes: { added: number; known: number };
  versions: { added: number; known: number };
  brewLogs: { added: number; known: number };
  /** Present when the bundle carried hardware. */
  hardware?: HardwareImport;
}

const validateBundle = new Ajv({ allErrors: true, strict: false }).compile<Bundle>(BundleSchema);

/** Checks `raw` against the bundle schema; throws `COBREW_ERR_BUNDLE_INVALID` listing the problems. */
export function parseBundle(raw: unknown, what: string): Bundle {
  if (validateBundle(raw)) return raw;
  const lines = (validateBundle.errors ?? [])
    .slice(0, 20)
    .map(
      (e) =>
        `  - ${e.instancePath === '' ? '(top level)' : e.instancePath}: ${e.message ?? 'is not allowed'}`,
    );
  throw new BundleInvalidError(what, [...new Set(lines)].join('\n'));
}

/** Who vouches for a bundle's content: its verified signer, or the code loading cobrew's library. */
export interface BundleSource {
  id: string;
  name: string;
  /** May pass on recipes and brew logs made in other spaces: this space itself, or a trusted one. */
  relays: boolean;
}

/** Checks the schema and the signature, then imports what the signer may add. */
export function importBundle(store: CommonsStore, raw: unknown, opts: ImportOptions): ImportReport {
  const bundle = parseBundle(raw, opts.what);
  verifyBundle(bundle, opts.what);
  const { id, name } = bundle.space;
  const relays = id === store.space.id || isTrusted(store.trustedSpaces, bundle.space);
  return applyBundle(store, bundle, { id, name, relays }, opts);
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Imports content already vouched for by `source` (importBundle, or the library loader). */
export function applyBundle(
  store: CommonsStore,
  bundle: Pick<Bundle, 'recipes' | 'brewLogs' | 'hardware'>,
  source: BundleSource,
  opts: ImportOptions,
): ImportReport {
  const here = store.space.id;
  const refused = (problem: string) => new BundleOriginError(opts.what, problem);
  /** No bundle speaks as this space: by id only its own key does (and adds nothing), by name none does. */
  const checkOrigin = (origin: { id: string; name: string }, what: string) => {
    if (origin.id === here)
      throw refused(`${what} says it was made in this space, which holds no such thing`);
    if (sameName(origin.name, store.space.name)) {
      throw refused(`${what} says it was made in a space named like this one (${origin.name}), ${origin.id}`);
    }
    if (origin.id !== source.id && !source.relays) {
      throw refused(
        `${what} was made in ${origin.name} (${origin.id}), but the bundle is signed by ${source.name} ` +
          `(${source.id}), which is not in commons.trustedSpaces to pass on other spaces' work`,
      );
    }
  };
  /** A name as stored here: this space's people plainly, the library's as given, others qualified. */
  const person = (name: string, originId: string) => {
    if (originId === here) return name.endsWith(`@${here}`) ? name.slice(0, -(here.length + 1)) : name;
    return originId === LIBRARY_SPACE_ID ? name : qualified(name, originId);
  };
  if (source.id !== here && sameName(source.name, store.space.name)) {
    throw refused(`it is signed by ${source.id}, a space named like this one (${source.name})`);
  }
  const report: ImportReport = {
    recipes: { added: 0, known: 0 },
    versions: { added: 0, known: 0 },
    brewLogs: { added: 0, known: 0 },
  };
  const invalid = (problem: string) => new BundleInvalidError(opts.what, `  - ${problem}`);
  const late = timesAhead(bundle, store.clock.now());
  if (late !== null) throw invalid(late);
  const conflict = (problem: string) => new BundleConflictError(opts.what, problem);
  const db = store.db;

  const versions = new Map<string, { version: BundleVersion; recipe: BundleRecipe }>();
  for (const recipe of bundle.recipes) {
    try {
      licence(recipe.licence);
    } catch (err) {
      throw invalid(`recipe ${recipe.id}: ${(err as Error).message}`);
    }
    recipe.versions.forEach((version, i) => {
      if (version.number !== i + 1)
        throw invalid(`recipe ${recipe.id}: its versions must be numbered 1, 2, 3…`);
      const previous = recipe.versions[i - 1];
      if (previous !== undefined && version.parentId !== previous.id) {
        throw invalid(`version ${version.id} must have the recipe's previous version as its parent`);
      }
      // One id, two versions: keeping either would silently drop the other.
      const other = versions.get(version.id);
      if (other !== undefined) {
        throw invalid(
          `version id ${version.id} appears twice (recipes ${other.recipe.id} and ${recipe.id}); each version needs an id of its own`,
        );
      }
      versions.set(version.id, { version, recipe });
    });
  }

  const findVersion = db.prepare('SELECT * FROM versions WHERE id = ?');
  const findByNumber = db.prepare('SELECT id FROM versions WHERE recipe_id = ? AND number = ?');
  const findRecipe = db.prepare('SELECT licence, origin_id, origin_name FROM recipes WHERE id = ?');
  const parentOf = db.prepare(
    'SELECT r.licence, r.visibility FROM versions v JOIN recipes r ON r.id = v.recipe_id WHERE v.id = ?',
  );
  const insertRecipe = db.prepare(
    `INSERT INTO recipes (id, licence, visibility, owner, created_at, origin_id, origin_name, origin_url)
     VALUES (@id, @licence, 'public', @owner, @createdAt, @originId, @originName, @originUrl)`,
  );
  const insertVersion = db.prepare(
    `INSERT INTO versions (id, recipe_id, number, parent_id, author, created_at, note, title, document, sha256)
     VALUES (@id, @recipeId, @number, @parentId, @author, @createdAt, @note, @title, @document, @sha256)`,
  );
  const seenRecipes = new Set<string>();
  /** Recipes this import brings: all their versions come with them. */
  const addedRecipes = new Set<string>();
  const done = new Set<string>();

  type HeldRecipe = { licence: string; origin_id: string | null; origin_name: string | null };
  /** The space a held recipe was made in; null when imported before bundles were signed. */
  const homeOf = (held: HeldRecipe) => (held.origin_name === null ? here : held.origin_id);

  const ensureRecipe = (recipe: BundleRecipe) => {
    if (seenRecipes.has(recipe.id)) return;
    seenRecipes.add(recipe.id);
    const held = findRecipe.get(recipe.id) as HeldRecipe | undefined;
    if (held === undefined) {
      checkOrigin(recipe.origin, `recipe ${recipe.id}`);
      insertRecipe.run({
        id: recipe.id,
        licence: recipe.licence,
        owner: person(recipe.owner, recipe.origin.id),
        createdAt: recipe.createdAt,
        originId: recipe.origin.id,
        originName: recipe.origin.name,
        originUrl: recipe.origin.url,
      });
      addedRecipes.add(recipe.id);
      report.recipes.added++;
    } else {
      if (held.licence !== recipe.licence) {
        throw conflict(`recipe ${recipe.id} is ${held.licence} here but ${recipe.licence} in the bundle`);
      }
      const home = homeOf(held);
      if (home !== null && home !== recipe.origin.id) {
        throw conflict(
          `recipe ${recipe.id} was made in ${home} here but in ${recipe.origin.id} in the bundle`,
        );
      }
      report.recipes.known++;
    }
  };

  const place = (id: string, path: readonly string[]) => {
    if (done.has(id)) return;
    if (path.includes(id)) throw invalid(`version ${id} is its own ancestor`);
    const entry = versions.get(id) as { version: BundleVersion; recipe: BundleRecipe };
    const { version, recipe } = entry;
    const checked = checkDocument(version, opts.what);
    const held = findVersion.get(version.id) as VersionRow | undefined;
    if (held !== undefined) {
      if (
        held.sha256 !== checked.sha256 ||
        held.recipe_id !== recipe.id ||
        held.number !== version.number ||
        held.parent_id !== version.parentId ||
        held.author !== person(version.author, recipe.origin.id) ||
        held.created_at !== version.createdAt ||
        held.note !== version.note
      ) {
        throw conflict(
          `version ${version.id} (${recipe.id} #${version.number}) differs from the copy held here`,
        );
      }
      ensureRecipe(recipe);
      report.versions.known++;
      done.add(id);
      return;
    }
    if (version.parentId !== null) {
      if (versions.has(version.parentId)) place(version.parentId, [...path, id]);
      else if (findVersion.get(version.parentId) === undefined) {
        throw invalid(
          `version ${version.id} was made from ${version.parentId}, which is neither here nor in the bundle`,
        );
      }
      const parent = parentOf.get(version.parentId) as { licence: string; visibility: string };
      // Bundles hold public recipes only: a public child would show a private parent's title and author.
      if (parent.visibility !== 'public') {
        throw conflict(`version ${version.id} was made from ${version.parentId}, which is private here`);
      }
      if (version.number === 1) {
        try {
          checkForkLicence(parent.licence, recipe.licence);
        } catch (err) {
          throw invalid(`recipe ${recipe.id}: ${(err as Error).message}`);
        }
      }
    }
    ensureRecipe(recipe);
    if (!addedRecipes.has(recipe.id)) {
      const home = homeOf(findRecipe.get(recipe.id) as HeldRecipe);
      if (home === here) {
        throw refused(
          `recipe ${recipe.id} was made here, and the bundle adds version ${version.number} to it`,
        );
      }
      if (home !== source.id) {
        throw refused(
          `recipe ${recipe.id} was made in ${home ?? recipe.origin.name}; a bundle signed by ${source.name} ` +
            `(${source.id}) cannot add version ${version.number} to it`,
        );
      }
    }
    if (findByNumber.get(recipe.id, version.number) !== undefined) {
      throw conflict(`recipe ${recipe.id} already has a different version ${version.number} here`);
    }
    const author = person(version.author, recipe.origin.id);
    insertVersion.run({
      id: version.id,
      recipeId: recipe.id,
      number: version.number,
      parentId: version.parentId,
      author,
      createdAt: version.createdAt,
      note: version.note,
      title: checked.title,
      document: checked.text,
      sha256: checked.sha256,
    });
    if (opts.ledger) {
      store.ledger.record({
        contributor: author,
        kind: version.number === 1 && version.parentId !== null ? 'fork' : 'version',
        at: version.createdAt,
        recipeId: recipe.id,
        versionId: version.id,
        reference: `bundle from ${source.name}`,
        space: recipe.origin.name,
        recordedBy: 'cobrew',
        onceKey: onceKey.version(version.id),
      });
    }
    report.versions.added++;
    done.add(id);
  };

  db.transaction(() => {
    for (const id of versions.keys()) place(id, []);
    for (const log of bundle.brewLogs) {
      importBrewLog(store, log, opts, report, {
        invalid,
        conflict,
        checkOrigin,
        person: (name) => person(name, log.origin.id),
      });
    }
    if (bundle.hardware !== undefined) {
      const from = { ledger: opts.ledger, from: source.name };
      report.hardware = importHardware(store, bundle.hardware, from, invalid, conflict, {
        check: checkOrigin,
        person,
        refused,
        signer: source,
      });
    }
  })();
  return report;
}

function checkDocument(version: BundleVersion, what: string) {
  let checked: ReturnType<typeof checkRecipeDocument>;
  try {
    checked = checkRecipeDocument(version.document);
  } catch (err) {
    throw new BundleInvalidError(what, `  - version ${version.id}: ${(err as Error).message}`);
  }
  if (checked.sha256 !== version.sha256) {
    throw new BundleInvalidError(
      what,
      `  - version ${version.id}: its document does not match its sha256 (altered or damaged in transit)`,
    );
  }
  return checked;
}

interface LogChecks {
  invalid: (problem: string) => Error;
  conflict: (problem: string) => Error;
  checkOrigin: (origin: { id: string; name: string }, what: string) => void;
  /** A name of the log's space as stored here. */
  person: (name: string) => string;
}

function importBrewLog(
  store: CommonsStore,
  log: BundleBrewLog,
  opts: ImportOptions,
  report: ImportReport,
  { invalid, conflict, checkOrigin, person }: LogChecks,
): void {
  const db = store.db;
  const held = db.prepare('SELECT version_id FROM brewlogs WHERE id = ?').get(log.id) as
    | { version_id: string }
    | undefined;
  if (held !== undefined) {
    if (held.version_id !== log.versionId) throw conflict(`brew log ${log.id} is of another version here`);
    report.brewLogs.known++;
    return;
  }
  const version = db
    .prepare(
      'SELECT v.recipe_id, r.visibility FROM versions v JOIN recipes r ON r.id = v.recipe_id WHERE v.id = ?',
    )
    .get(log.versionId) as { recipe_id: string; visibility: string } | undefined;
  if (version === undefined)
    throw invalid(`brew log ${log.id} is of version ${log.versionId}, which is not here`);
  if (version.visibility !== 'public') {
    throw conflict(`brew log ${log.id} is of version ${log.versionId}, which is private here`);
  }
  checkOrigin(log.origin, `brew log ${log.id}`);
  if (log.endedAt !== null && log.endedAt < log.startedAt)
    throw invalid(`brew log ${log.id} ends before it starts`);
  const brewer = person(log.brewer);
  let snapshot: string;
  try {
    snapshot = checkRecipeDocument(log.snapshot).text;
  } catch (err) {
    throw invalid(`brew log ${log.id}: ${(err as Error).message}`);
  }
  db.prepare(
    `INSERT INTO brewlogs (id, version_id, snapshot, name, brewer, fermenter_id, started_at, ended_at, notes,
       visibility, created_at, updated_at, origin_id, origin_name, origin_url)
     VALUES (@id, @versionId, @snapshot, @name, @brewer, @fermenterId, @startedAt, @endedAt, @notes, 'public',
       @createdAt, @updatedAt, @originId, @originName, @originUrl)`,
  ).run({
    ...log,
    brewer,
    snapshot,
    originId: log.origin.id,
    originName: log.origin.name,
    originUrl: log.origin.url,
  });
  const insertReading = db.prepare(
    `INSERT INTO readings (id, brewlog_id, at, gravity, source, note, recorded_by)
     VALUES (@id, @brewlogId, @at, @gravity, @source, @note, @recordedBy)`,
  );
  for (const r of log.readings)
    insertReading.run({ ...r, recordedBy: person(r.recordedBy), brewlogId: log.id });
  if (opts.ledger) {
    store.ledger.record({
      contributor: brewer,
      kind: 'brewlog',
      at: log.createdAt,
      recipeId: version.recipe_id,
      versionId: log.versionId,
      brewlogId: log.id,
      reference: `bundle from ${log.origin.name}`,
      space: log.origin.name,
      recordedBy: 'cobrew',
      onceKey: onceKey.brewlog(log.id),
    });
  }
  report.brewLogs.added++;
}

/** A peer's clock may be off by hours, not by more: nothing in the commons is dated after tomorrow. */
export const BUNDLE_FUTURE_TOLERANCE_MS = 24 * 3_600_000;

/** The first time in the bundle later than `now` allows, named by its place; null when there is none. */
function timesAhead(bundle: Pick<Bundle, 'recipes' | 'brewLogs' | 'hardware'>, now: number): string | null {
  const latest = now + BUNDLE_FUTURE_TOLERANCE_MS;
  const times: Array<[string, number | null]> = [
    ...bundle.recipes.flatMap((r) => [
      [`recipe ${r.id} createdAt`, r.createdAt] as [string, number],
      ...r.versions.map((v) => [`version ${v.id} createdAt`, v.createdAt] as [string, number]),
    ]),
    ...bundle.brewLogs.flatMap((l) => [
      [`brew log ${l.id} startedAt`, l.startedAt] as [string, number],
      [`brew log ${l.id} endedAt`, l.endedAt] as [string, number | null],
      [`brew log ${l.id} createdAt`, l.createdAt] as [string, number],
      [`brew log ${l.id} updatedAt`, l.updatedAt] as [string, number],
      ...l.readings.map((r) => [`reading ${r.id} at`, r.at] as [string, number]),
    ]),
    ...(bundle.hardware ?? []).flatMap((h) => [
      [`hardware ${h.id} createdAt`, h.createdAt] as [string, number],
      ...h.versions.map((v) => [`hardware version ${v.id} createdAt`, v.createdAt] as [string, number]),
    ]),
  ];
  const found = times.find(([, t]) => t !== null && t > latest);
  if (found === undefined) return null;
  const [where, t] = found;
  return (
    `${where} is ${new Date(t as number).toISOString()}, more than a day after this clock ` +
    `(${new Date(now).toISOString()}); the exporting space's clock is wrong: have it fixed and export again`
  );
}
