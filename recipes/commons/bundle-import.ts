// Imports a commons bundle in one transaction: all of it or nothing. Ids are global, so what this space
// already holds is recognised and skipped (importing the same bundle twice adds nothing), and a version
// that differs from the copy held here is refused as a conflict. Imported recipes keep their authors, their
// lineage and the space they came from, which alone adds versions to them.
import { Ajv } from 'ajv';
import { onceKey } from '../ledger/ledger.js';
import {
  type Bundle,
  type BundleBrewLog,
  type BundleRecipe,
  BundleSchema,
  type BundleVersion,
} from './bundle.js';
import { checkRecipeDocument } from './document.js';
import { BundleConflictError, BundleInvalidError } from './errors.js';
import { type HardwareImport, importHardware } from './hardware-bundle.js';
import { checkForkLicence, licence } from './licences.js';
import type { CommonsStore, VersionRow } from './store.js';

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

export function importBundle(store: CommonsStore, raw: unknown, opts: ImportOptions): ImportReport {
  const bundle = parseBundle(raw, opts.what);
  const report: ImportReport = {
    recipes: { added: 0, known: 0 },
    versions: { added: 0, known: 0 },
    brewLogs: { added: 0, known: 0 },
  };
  const invalid = (problem: string) => new BundleInvalidError(opts.what, `  - ${problem}`);
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
  const findRecipe = db.prepare('SELECT licence, origin_name FROM recipes WHERE id = ?');
  const licenceOf = db.prepare(
    'SELECT r.licence FROM versions v JOIN recipes r ON r.id = v.recipe_id WHERE v.id = ?',
  );
  const insertRecipe = db.prepare(
    `INSERT INTO recipes (id, licence, visibility, owner, created_at, origin_name, origin_url)
     VALUES (@id, @licence, 'public', @owner, @createdAt, @originName, @originUrl)`,
  );
  const insertVersion = db.prepare(
    `INSERT INTO versions (id, recipe_id, number, parent_id, author, created_at, note, title, document, sha256)
     VALUES (@id, @recipeId, @number, @parentId, @author, @createdAt, @note, @title, @document, @sha256)`,
  );
  const seenRecipes = new Set<string>();
  const done = new Set<string>();

  const ensureRecipe = (recipe: BundleRecipe) => {
    if (seenRecipes.has(recipe.id)) return;
    seenRecipes.add(recipe.id);
    const held = findRecipe.get(recipe.id) as { licence: string; origin_name: string | null } | undefined;
    if (held === undefined) {
      insertRecipe.run({
        id: recipe.id,
        licence: recipe.licence,
        owner: recipe.owner,
        createdAt: recipe.createdAt,
        originName: recipe.origin.name,
        originUrl: recipe.origin.url,
      });
      report.recipes.added++;
    } else {
      if (held.licence !== recipe.licence) {
        throw conflict(`recipe ${recipe.id} is ${held.licence} here but ${recipe.licence} in the bundle`);
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
        held.author !== version.author ||
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
      if (version.number === 1) {
        const parentLicence = (licenceOf.get(version.parentId) as { licence: string }).licence;
        try {
          checkForkLicence(parentLicence, recipe.licence);
        } catch (err) {
          throw invalid(`recipe ${recipe.id}: ${(err as Error).message}`);
        }
      }
    }
    ensureRecipe(recipe);
    const home = findRecipe.get(recipe.id) as { origin_name: string | null };
    if (home.origin_name === null) {
      throw conflict(
        `recipe ${recipe.id} was made here, and the bundle adds version ${version.number} to it`,
      );
    }
    if (findByNumber.get(recipe.id, version.number) !== undefined) {
      throw conflict(`recipe ${recipe.id} already has a different version ${version.number} here`);
    }
    insertVersion.run({
      id: version.id,
      recipeId: recipe.id,
      number: version.number,
      parentId: version.parentId,
      author: version.author,
      createdAt: version.createdAt,
      note: version.note,
      title: checked.title,
      document: checked.text,
      sha256: checked.sha256,
    });
    if (opts.ledger) {
      store.ledger.record({
        contributor: version.author,
        kind: version.number === 1 && version.parentId !== null ? 'fork' : 'version',
        at: version.createdAt,
        recipeId: recipe.id,
        versionId: version.id,
        reference: `bundle from ${bundle.space.name}`,
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
    for (const log of bundle.brewLogs) importBrewLog(store, log, opts, report, invalid, conflict);
    if (bundle.hardware !== undefined) {
      const from = { ledger: opts.ledger, from: bundle.space.name };
      report.hardware = importHardware(store, bundle.hardware, from, invalid, conflict);
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

function importBrewLog(
  store: CommonsStore,
  log: BundleBrewLog,
  opts: ImportOptions,
  report: ImportReport,
  invalid: (problem: string) => Error,
  conflict: (problem: string) => Error,
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
  if (log.endedAt !== null && log.endedAt < log.startedAt)
    throw invalid(`brew log ${log.id} ends before it starts`);
  let snapshot: string;
  try {
    snapshot = checkRecipeDocument(log.snapshot).text;
  } catch (err) {
    throw invalid(`brew log ${log.id}: ${(err as Error).message}`);
  }
  db.prepare(
    `INSERT INTO brewlogs (id, version_id, snapshot, name, brewer, fermenter_id, started_at, ended_at, notes,
       visibility, created_at, updated_at, origin_name, origin_url)
     VALUES (@id, @versionId, @snapshot, @name, @brewer, @fermenterId, @startedAt, @endedAt, @notes, 'public',
       @createdAt, @updatedAt, @originName, @originUrl)`,
  ).run({ ...log, snapshot, originName: log.origin.name, originUrl: log.origin.url });
  const insertReading = db.prepare(
    `INSERT INTO readings (id, brewlog_id, at, gravity, source, note, recorded_by)
     VALUES (@id, @brewlogId, @at, @gravity, @source, @note, @recordedBy)`,
  );
  for (const r of log.readings) insertReading.run({ ...r, brewlogId: log.id });
  if (opts.ledger) {
    store.ledger.record({
      contributor: log.brewer,
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
