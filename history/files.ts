import { join } from 'node:path';

export const HISTORY_FILE_NAME = 'history.db';
/** The history database of a data directory. */
export const historyFile = (dataDir: string) => join(dataDir, HISTORY_FILE_NAME);
/** Where readings wait while the database cannot be written (spool.ts); beside the database. */
export const HISTORY_SPOOL_DIR_NAME = 'history-spool';
export const historySpoolDir = (dataDir: string) => join(dataDir, HISTORY_SPOOL_DIR_NAME);
export const DAY_MS = 86_400_000;
