// What a backup holds, named by each area's own file names: every database (copied with SQLite's online
// backup, consistent while cobrew writes), the broker's users and component passwords, the hydrometer
// calibrations set from the dashboard, the journal, cobrew.yaml (which carries any custom board profile) and
// the commons' signing key. Spools of readings not yet recorded, and Mosquitto's files (rewritten from the
// users), are left out.
import { basename, join } from 'node:path';
import { ALERTS_DB_FILE_NAME } from '../../alerts/store.js';
import { CALIBRATIONS_FILE_NAME } from '../../broker/calibration-store.js';
import { COMPONENT_SECRETS_FILE_NAME } from '../../broker/component-accounts.js';
import { usersFile } from '../../broker/credentials.js';
import { DASHBOARD_DB_FILE_NAME } from '../../dashboard/accounts/database.js';
import { JOURNAL_FILE } from '../../firmware-bridge/journal/journal-file.js';
import { CONTROL_DB_FILE_NAME } from '../../firmware-bridge/state/sqlite-store.js';
import { HISTORY_FILE_NAME } from '../../history/files.js';
import { RECIPES_DB_FILE_NAME } from '../../recipes/commons/db.js';
import { SPACE_KEY_FILE } from '../../recipes/commons/space-key.js';

export interface Part {
  /** Its name in the archive, and in the data directory. */
  name: string;
  kind: 'sqlite' | 'file';
  /** Passwords, sessions, private recipes, who asked what: restored readable by the owner only. */
  private: boolean;
}

export const CONFIG_NAME = 'cobrew.yaml';

export const PARTS: readonly Part[] = [
  { name: HISTORY_FILE_NAME, kind: 'sqlite', private: true },
  { name: RECIPES_DB_FILE_NAME, kind: 'sqlite', private: true },
  { name: DASHBOARD_DB_FILE_NAME, kind: 'sqlite', private: true },
  { name: CONTROL_DB_FILE_NAME, kind: 'sqlite', private: true },
  // People's alert addresses and webhook secrets, the rota, the space's default channels.
  { name: ALERTS_DB_FILE_NAME, kind: 'sqlite', private: true },
  { name: basename(usersFile('/')), kind: 'file', private: true },
  { name: COMPONENT_SECRETS_FILE_NAME, kind: 'file', private: true },
  { name: CALIBRATIONS_FILE_NAME, kind: 'file', private: false },
  { name: JOURNAL_FILE, kind: 'file', private: true },
  { name: CONFIG_NAME, kind: 'file', private: true },
  // The commons' signing key: a space restored without it is a new space to those that trust it.
  { name: SPACE_KEY_FILE, kind: 'file', private: true },
];

export const partPath = (dataDir: string, p: Part) => join(dataDir, p.name);
