// How much of a SQLite file one connection keeps in memory. better-sqlite3 builds SQLite with a 16 MB page
// cache per connection (SQLITE_DEFAULT_CACHE_SIZE=-16000), which fills as the file grows: history.db's
// connection alone held 1.5 MB more each hour at 4 fermenters, for pages the next write seldom reads again.
import type Database from 'better-sqlite3';

/** Enough for a small database's working set (settings, accounts, a queue's head, per-fermenter rows). */
export const SMALL_PAGE_CACHE_KIB = 256;

/** Caps the connection's page cache at `kib` KiB (a negative cache_size is in KiB, not pages). */
export function boundPageCache(db: Database.Database, kib: number = SMALL_PAGE_CACHE_KIB): void {
  db.pragma(`cache_size = -${Math.max(1, Math.round(kib))}`);
}
