// <data dir>/dashboard.db: the dashboard's users, sessions and audit log, in SQLite (WAL, so readers never
// wait for the writer). Other dashboard parts may keep their own tables in the same file.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { boundPageCache } from '../../common/sqlite-cache.js';
import { migrate } from '../../common/sqlite-migrate.js';
import { DashboardDbTooNewError } from './errors.js';

export const DASHBOARD_DB_FILE_NAME = 'dashboard.db';

export type Db = Database.Database;

// Version 1 keeps IF NOT EXISTS: files made before dashboard.db had a version already hold these tables.
const MIGRATIONS: readonly string[] = [
  `
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  role TEXT NOT NULL,
  password TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  fermenter_id TEXT NOT NULL,
  command TEXT NOT NULL,
  result TEXT NOT NULL,
  error_code TEXT,
  error_message TEXT
);
CREATE INDEX IF NOT EXISTS audit_by_fermenter ON audit_log(fermenter_id, at);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit_log(at);
`,
];

export function dashboardDbFile(dataDir: string): string {
  return join(dataDir, DASHBOARD_DB_FILE_NAME);
}

/** Opens (creating if needed) the accounts tables of <data dir>/dashboard.db. */
export function openAccountsDb(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = dashboardDbFile(dataDir);
  const db = new Database(file);
  // Password hashes live here: only the owner reads the file.
  chmodSync(file, 0o600);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  boundPageCache(db);
  try {
    migrate(db, {
      migrations: MIGRATIONS,
      tooNew: (found, known) => new DashboardDbTooNewError(file, found, known),
    });
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
