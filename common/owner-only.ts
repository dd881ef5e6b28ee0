// Files of the data directory hold private recipes, the whole configuration and every reading: readable by
// their owner only, like dashboard.db and the secret files (atomic-file.ts), whatever the umask.
import { chmodSync, mkdirSync } from 'node:fs';

export const OWNER_ONLY_FILE = 0o600;
export const OWNER_ONLY_DIR = 0o700;

/** Creates the directory (and its parents) owner-only when it does not exist yet; an existing one is left as is. */
export function ownerOnlyDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
}

/** Makes an existing file owner-only (a SQLite database's -wal and -shm files follow its mode). */
export function ownerOnlyFile(path: string): void {
  chmodSync(path, OWNER_ONLY_FILE);
}
