// <data dir>/recipes.db: recipes, versions, brew logs and the contribution ledger in SQLite (WAL, so the
// command line can read while the server writes). Immutability is enforced by triggers as well as by the
// code: versions and ledger events can never be changed or removed, even with a SQL shell.
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ownerOnlyDir, ownerOnlyFile } from '../../common/owner-only.js';
import { boundPageCache } from '../../common/sqlite-cache.js';
import { migrate } from '../../common/sqlite-migrate.js';
import { RecipesDbTooNewError } from './errors.js';

export type Db = Database.Database;

export const RECIPES_DB_FILE_NAME = 'recipes.db';

export function recipesDbFile(dataDir: string): string {
  return join(dataDir, RECIPES_DB_FILE_NAME);
}

const refuse = (what: string) => `SELECT RAISE(ABORT, '${what.replace(/'/g, "''")}');`;

/** Migration n takes the file from schema n to n + 1 (common/sqlite-migrate.ts applies them); only appended. */
const MIGRATIONS: readonly string[] = [
  `
CREATE TABLE recipes (
  id TEXT PRIMARY KEY,
  licence TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  owner TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- NULL: made in this space. Otherwise the space it came from, which alone adds versions to it.
  origin_name TEXT,
  origin_url TEXT
);
CREATE TABLE versions (
  id TEXT PRIMARY KEY,
  recipe_id TEXT NOT NULL REFERENCES recipes(id),
  number INTEGER NOT NULL CHECK (number >= 1),
  parent_id TEXT REFERENCES versions(id),
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  note TEXT NOT NULL,
  title TEXT NOT NULL,
  document TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  UNIQUE (recipe_id, number)
);
CREATE INDEX versions_by_parent ON versions(parent_id);
CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions BEGIN
  ${refuse('COBREW_ERR_VERSION_IMMUTABLE: recipe versions never change; add a new version instead')}
END;
CREATE TRIGGER versions_no_delete BEFORE DELETE ON versions BEGIN
  ${refuse('COBREW_ERR_VERSION_IMMUTABLE: recipe versions are never removed')}
END;
CREATE TRIGGER recipes_fixed BEFORE UPDATE OF id, licence, owner, created_at, origin_name, origin_url ON recipes
BEGIN
  ${refuse("COBREW_ERR_RECIPE_IMMUTABLE: a recipe's licence, owner and origin never change; fork it instead")}
END;
CREATE TRIGGER recipes_no_unpublish BEFORE UPDATE OF visibility ON recipes
  WHEN OLD.visibility = 'public' AND NEW.visibility <> 'public' BEGIN
  ${refuse('COBREW_ERR_VISIBILITY: a published recipe stays public (copies of it may already travel)')}
END;
CREATE TRIGGER recipes_no_delete BEFORE DELETE ON recipes BEGIN
  ${refuse('COBREW_ERR_RECIPE_IMMUTABLE: recipes are never removed; their forks and brew logs point to them')}
END;

CREATE TABLE brewlogs (
  id TEXT PRIMARY KEY,
  version_id TEXT NOT NULL REFERENCES versions(id),
  -- The recipe version as brewed, copied when the log was opened; never changes.
  snapshot TEXT NOT NULL,
  name TEXT NOT NULL,
  brewer TEXT NOT NULL,
  fermenter_id TEXT,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  notes TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  origin_name TEXT,
  origin_url TEXT
);
CREATE INDEX brewlogs_by_version ON brewlogs(version_id);
CREATE TRIGGER brewlogs_snapshot_fixed BEFORE UPDATE OF id, version_id, snapshot, brewer ON brewlogs BEGIN
  ${refuse('COBREW_ERR_BREWLOG_SNAPSHOT: the brewed recipe of a brew log never changes; open a new log')}
END;
CREATE TABLE readings (
  id TEXT PRIMARY KEY,
  brewlog_id TEXT NOT NULL REFERENCES brewlogs(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  gravity REAL NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('manual', 'ispindel')),
  note TEXT NOT NULL,
  recorded_by TEXT NOT NULL
);
CREATE INDEX readings_by_log ON readings(brewlog_id, at);

CREATE TABLE ledger (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  contributor TEXT NOT NULL,
  kind TEXT NOT NULL,
  recipe_id TEXT,
  version_id TEXT,
  brewlog_id TEXT,
  reference TEXT NOT NULL,
  note TEXT NOT NULL,
  weight INTEGER NOT NULL CHECK (weight >= 0),
  rule TEXT NOT NULL,
  space TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  -- Events the commons records itself (a version, a fork, a publication) happen once: re-importing a
  -- bundle must not count them twice.
  once_key TEXT UNIQUE
);
CREATE INDEX ledger_by_version ON ledger(version_id);
CREATE INDEX ledger_by_contributor ON ledger(contributor);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN
  ${refuse('COBREW_ERR_LEDGER_APPEND_ONLY: the ledger is append-only; record a new event instead')}
END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN
  ${refuse('COBREW_ERR_LEDGER_APPEND_ONLY: the ledger is append-only; nothing is ever removed from it')}
END;
`,
  // 2: batches. A brew log with a fermenter is a batch: its co-brewers share its control, and the profile
  // it started with is kept beside it.
  `
ALTER TABLE brewlogs ADD COLUMN profile TEXT;
CREATE TABLE batch_cobrewers (
  brewlog_id TEXT NOT NULL REFERENCES brewlogs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  PRIMARY KEY (brewlog_id, name)
);
CREATE INDEX brewlogs_open_by_fermenter ON brewlogs(fermenter_id) WHERE ended_at IS NULL;
`,
  // 3: the fermenter calendar. A booking holds a fermenter for a period; starting it makes it a batch.
  `
CREATE TABLE bookings (
  id TEXT PRIMARY KEY,
  fermenter_id TEXT NOT NULL,
  name TEXT NOT NULL,
  booker TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL CHECK (ends_at > starts_at),
  note TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  batch_id TEXT REFERENCES brewlogs(id) ON DELETE SET NULL
);
CREATE INDEX bookings_by_fermenter ON bookings(fermenter_id, starts_at);
`,
  // 4: saved fermentation profiles, shared like recipes: immutable versions under a licence.
  `
CREATE TABLE profiles (
  id TEXT PRIMARY KEY,
  licence TEXT NOT NULL,
  owner TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE profile_versions (
  id TEXT PRIMARY KEY,
  profile_id TEXT NOT NULL REFERENCES profiles(id),
  number INTEGER NOT NULL CHECK (number >= 1),
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  title TEXT NOT NULL,
  note TEXT NOT NULL,
  steps TEXT NOT NULL,
  UNIQUE (profile_id, number)
);
CREATE TRIGGER profile_versions_no_update BEFORE UPDATE ON profile_versions BEGIN
  ${refuse('COBREW_ERR_VERSION_IMMUTABLE: profile versions never change; add a new version instead')}
END;
CREATE TRIGGER profile_versions_no_delete BEFORE DELETE ON profile_versions BEGIN
  ${refuse('COBREW_ERR_VERSION_IMMUTABLE: profile versions are never removed')}
END;
CREATE TRIGGER profiles_fixed BEFORE UPDATE ON profiles BEGIN
  ${refuse("COBREW_ERR_RECIPE_IMMUTABLE: a profile's licence and owner never change")}
END;
`,
  // 5: signed bundles. The id of the space a recipe or brew log was made in (the start of its key's SHA-256,
  // or the library's): versions come only in bundles signed by that key. NULL with an origin name: imported
  // before bundles were signed, so never added to by a bundle.
  `
ALTER TABLE recipes ADD COLUMN origin_id TEXT;
ALTER TABLE brewlogs ADD COLUMN origin_id TEXT;
UPDATE recipes SET origin_id = 'cobrew-library' WHERE origin_name = 'cobrew library';
CREATE TRIGGER recipes_origin_id_fixed BEFORE UPDATE OF origin_id ON recipes BEGIN
  ${refuse("COBREW_ERR_RECIPE_IMMUTABLE: a recipe's origin never changes")}
END;
`,
  // 6: confirmations. A contribution someone recorded for themselves counts once another person confirms it;
  // the confirmation is appended beside the event, which never changes.
  `
CREATE TABLE ledger_confirmations (
  event_id TEXT PRIMARY KEY REFERENCES ledger(id),
  confirmed_by TEXT NOT NULL,
  confirmed_at INTEGER NOT NULL
);
CREATE TRIGGER ledger_confirmations_no_update BEFORE UPDATE ON ledger_confirmations BEGIN
  ${refuse('COBREW_ERR_LEDGER_APPEND_ONLY: the ledger is append-only; record a new event instead')}
END;
CREATE TRIGGER ledger_confirmations_no_delete BEFORE DELETE ON ledger_confirmations BEGIN
  ${refuse('COBREW_ERR_LEDGER_APPEND_ONLY: the ledger is append-only; nothing is ever removed from it')}
END;
`,
  // 7: what a batch cost besides its electricity: consumables recorded against it (cost in integer cents).
  `
CREATE TABLE batch_consumables (
  id TEXT PRIMARY KEY,
  brewlog_id TEXT NOT NULL REFERENCES brewlogs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('yeast', 'co2', 'cleaning', 'other')),
  name TEXT NOT NULL,
  quantity REAL NOT NULL CHECK (quantity > 0),
  unit TEXT NOT NULL,
  cost_cents INTEGER NOT NULL CHECK (cost_cents >= 0),
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX batch_consumables_by_batch ON batch_consumables(brewlog_id, recorded_at);
`,
  // 8: hardware in the commons: board profiles and reference-board documents, versioned under an open
  // hardware licence, with the contribution each was derived from.
  `
CREATE TABLE hardware (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('board-profile', 'reference-board')),
  licence TEXT NOT NULL,
  owner TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- NULL with origin_name: made here. Otherwise the signing space it came from, which alone adds versions.
  origin_id TEXT,
  origin_name TEXT,
  origin_url TEXT
);
CREATE TABLE hardware_versions (
  id TEXT PRIMARY KEY,
  hardware_id TEXT NOT NULL REFERENCES hardware(id),
  number INTEGER NOT NULL CHECK (number >= 1),
  -- The previous version, or for a first version derived from another contribution, that one's version.
  parent_id TEXT REFERENCES hardware_versions(id),
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  title TEXT NOT NULL,
  note TEXT NOT NULL,
  document TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  UNIQUE (hardware_id, number)
);
CREATE TRIGGER hardware_versions_no_update BEFORE UPDATE ON hardware_versions BEGIN
  ${refuse('COBREW_ERR_VERSION_IMMUTABLE: hardware versions never change; add a new version instead')}
END;
CREATE TRIGGER hardware_versions_no_delete BEFORE DELETE ON hardware_versions BEGIN
  ${refuse('COBREW_ERR_VERSION_IMMUTABLE: hardware versions are never removed')}
END;
CREATE TRIGGER hardware_fixed BEFORE UPDATE ON hardware BEGIN
  ${refuse("COBREW_ERR_RECIPE_IMMUTABLE: a hardware contribution's kind, licence, owner and origin never change")}
END;
`,
];

/** recipes.db's page cache, KiB. */
const RECIPES_PAGE_CACHE_KIB = 1024;

/** Opens (creating or upgrading) a recipes database; ':memory:' for tests. */
export function openRecipesDb(file: string): Db {
  if (file !== ':memory:') ownerOnlyDir(dirname(file));
  const db = new Database(file);
  // Private recipes live here.
  if (file !== ':memory:') ownerOnlyFile(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  // The library is read whole by searches: room for all of it at today's size (about 300 KB).
  boundPageCache(db, RECIPES_PAGE_CACHE_KIB);
  try {
    migrate(db, {
      migrations: MIGRATIONS,
      tooNew: (found, known) => new RecipesDbTooNewError(file, found, known),
    });
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
