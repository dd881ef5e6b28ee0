import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createError from '@fastify/error';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, type Schema } from '../../common/sqlite-migrate.js';

const TooNewError = createError<'COBREW_ERR_TEST_DB_TOO_NEW', [number, number]>(
  'COBREW_ERR_TEST_DB_TOO_NEW',
  'schema %s, this code reads up to %s',
);

// Neither migration can run twice (no IF NOT EXISTS): applying one again would throw.
const V1 = 'CREATE TABLE brews (id INTEGER PRIMARY KEY, name TEXT NOT NULL)';
const V2 =
  "ALTER TABLE brews ADD COLUMN style TEXT NOT NULL DEFAULT 'ale'; CREATE INDEX brews_by_style ON brews(style)";

const schema = (...migrations: string[]): Schema => ({
  migrations,
  tooNew: (found, known) => new TooNewError(found, known),
});

const version = (db: Database.Database) => db.pragma('user_version', { simple: true });
const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").pluck().all();

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function file(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cobrew-migrate-'));
  dirs.push(dir);
  return join(dir, 'test.db');
}

describe('SQLite migrations', () => {
  it('takes a new database through every migration in order, and a current one through none', () => {
    const path = file();
    const db = new Database(path);
    expect(migrate(db, schema(V1, V2))).toBe(2);
    expect(version(db)).toBe(2);
    expect(tables(db)).toEqual(['brews', 'brews_by_style']);
    db.prepare('INSERT INTO brews (name) VALUES (?)').run('saison');
    db.close();

    const again = new Database(path);
    expect(migrate(again, schema(V1, V2))).toBe(2);
    expect(again.prepare('SELECT name, style FROM brews').all()).toEqual([{ name: 'saison', style: 'ale' }]);
    again.close();
  });

  it('runs only the migrations an older file lacks, keeping its rows', () => {
    const path = file();
    const old = new Database(path);
    migrate(old, schema(V1));
    old.prepare('INSERT INTO brews (name) VALUES (?)').run('porter');
    old.close();

    const db = new Database(path);
    expect(migrate(db, schema(V1, V2))).toBe(2);
    expect(db.prepare('SELECT name, style FROM brews').all()).toEqual([{ name: 'porter', style: 'ale' }]);
    db.close();
  });

  it('leaves a file at its last complete version when a migration fails, with nothing of the failed one', () => {
    const db = new Database(file());
    const broken = 'CREATE TABLE hops (name TEXT); INSERT INTO nowhere VALUES (1)';
    expect(() => migrate(db, schema(V1, broken))).toThrow(/no such table: nowhere/);
    expect(version(db)).toBe(1);
    expect(tables(db)).toEqual(['brews']);
    // Fixed code carries on from there.
    expect(migrate(db, schema(V1, V2))).toBe(2);
    db.close();
  });

  it('refuses a file from newer code with the typed error, and changes nothing in it', () => {
    const db = new Database(file());
    migrate(db, schema(V1, V2));
    let refusal: unknown;
    try {
      migrate(db, schema(V1));
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(TooNewError);
    expect(refusal).toMatchObject({
      code: 'COBREW_ERR_TEST_DB_TOO_NEW',
      message: 'schema 2, this code reads up to 1',
    });
    expect(version(db)).toBe(2);
    expect(tables(db)).toEqual(['brews', 'brews_by_style']);
    db.close();
  });
});
