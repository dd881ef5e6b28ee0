import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { boundPageCache, SMALL_PAGE_CACHE_KIB } from '../../common/sqlite-cache.js';
import { openAccountsDb } from '../../dashboard/accounts/database.js';
import { HISTORY_PAGE_CACHE_KIB, HistoryStore } from '../../history/store.js';
import { openRecipesDb } from '../../recipes/commons/db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
/** The connection's page cache bound in KiB, as SQLite reports it (a positive cache_size is in pages). */
function pageCacheKib(db: Database.Database): number {
  const size = db.pragma('cache_size', { simple: true }) as number;
  return size < 0 ? -size : (size * (db.pragma('page_size', { simple: true }) as number)) / 1024;
}
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cobrew-cache-'));
  dirs.push(dir);
  return dir;
};

describe('SQLite page caches', () => {
  it("replace better-sqlite3's 16 MB default with a bound in KiB", () => {
    const db = new Database(':memory:');
    expect(pageCacheKib(db)).toBe(16_000);
    boundPageCache(db);
    expect(pageCacheKib(db)).toBe(SMALL_PAGE_CACHE_KIB);
    boundPageCache(db, 512);
    expect(db.pragma('cache_size', { simple: true })).toBe(-512);
    db.close();
  });

  it('are bounded on the connections whose handle is open to view', () => {
    const dir = tempDir();
    const history = new HistoryStore(join(dir, 'history.db'), { retentionMs: 86_400_000 });
    const accounts = openAccountsDb(dir);
    const recipes = openRecipesDb(join(dir, 'recipes.db'));
    try {
      expect(pageCacheKib(history.db)).toBe(HISTORY_PAGE_CACHE_KIB);
      expect(pageCacheKib(accounts)).toBe(SMALL_PAGE_CACHE_KIB);
      expect(pageCacheKib(recipes)).toBeLessThanOrEqual(1024);
    } finally {
      history.close();
      accounts.close();
      recipes.close();
    }
  });
});
