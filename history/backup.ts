// Online backup of the history database with SQLite's backup API: safe while cobrew is writing, from another
// process (WAL lets it read a consistent snapshot while cobrew goes on writing).
import { existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { OWNER_ONLY_FILE, ownerOnlyFile } from '../common/owner-only.js';
import { HistoryBackupError, HistoryOpenError } from './errors.js';

/** Copies the database at `source` to `dest`, which must not exist yet; returns the pages copied. */
export async function backupHistory(source: string, dest: string): Promise<number> {
  if (existsSync(dest)) throw new HistoryBackupError(dest, 'the file already exists; choose a new name');
  let db: Database.Database;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new HistoryOpenError(source, (err as Error).message, { cause: err });
  }
  try {
    // A write by cobrew between two steps restarts a backup from its first page; steps of 100 pages (the
    // default) might never finish beside a busy writer. After the first step the rest goes in one step,
    // during which WAL keeps cobrew writing and the copy consistent.
    // Created owner-only before a byte is copied into it: it holds every reading.
    writeFileSync(dest, '', { mode: OWNER_ONLY_FILE, flag: 'wx' });
    ownerOnlyFile(dest);
    const { totalPages } = await db.backup(dest, { progress: () => 2_147_483_647 });
    return totalPages;
  } catch (err) {
    throw new HistoryBackupError(dest, (err as Error).message, { cause: err });
  } finally {
    db.close();
  }
}
