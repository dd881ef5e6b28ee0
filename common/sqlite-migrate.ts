// One way to bring a SQLite database to the schema this cobrew knows. `PRAGMA user_version` says how many
// migrations a file has had; each missing one runs in its own transaction with the version bump, so a
// failure leaves the file at the last complete version. A file from a newer cobrew is refused, not misread.
import type Database from 'better-sqlite3';

export interface Schema {
  /** SQL scripts in order: migration n takes a database from version n to n + 1. Only ever appended to. */
  readonly migrations: readonly string[];
  /** The typed error for a database at `found`, newer than the `known` versions of this code. */
  tooNew(found: number, known: number): Error;
}

const versionOf = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;

/** Applies the migrations `db` lacks and returns its version; throws `schema.tooNew` for a newer file. */
export function migrate(db: Database.Database, schema: Schema): number {
  const known = schema.migrations.length;
  const step = db.transaction(() => {
    // Read again under the write lock: another process may have migrated the file meanwhile.
    const at = versionOf(db);
    if (at > known) throw schema.tooNew(at, known);
    if (at < known) {
      db.exec(schema.migrations[at] as string);
      db.pragma(`user_version = ${at + 1}`);
    }
    return at + 1 >= known;
  });
  // The common case, a file already current, takes no write lock.
  const at = versionOf(db);
  if (at > known) throw schema.tooNew(at, known);
  // Each pass raises the version by one or says it is done, so this ends within `known` passes.
  let done = at === known;
  while (!done) done = step.immediate();
  return known;
}
