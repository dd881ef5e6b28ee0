import { join } from 'node:path';

export const HISTORY_FILE_NAME = 'history.db';
/** The history database of a data directory. */
export const historyFile = (dataDir: string) => join(dataDir, HISTORY_FILE_NAME);
export const DAY_MS = 86_400_000;
