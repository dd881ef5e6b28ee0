// The history database's tables. One raw row per fermenter per timestamp with a column per field, keyed
// (fermenter, t) WITHOUT ROWID so a range of one fermenter is one contiguous B-tree walk; one row per
// fermenter per bucket for each rollup level, keyed the same way.
import { ROLLUP_LEVELS } from './levels.js';
import { HISTORY_FIELDS } from './reading.js';

const rawTable = `CREATE TABLE IF NOT EXISTS raw (
  f INTEGER NOT NULL,
  t INTEGER NOT NULL,
  ${HISTORY_FIELDS.map((c) => `${c} REAL`).join(',\n  ')},
  PRIMARY KEY (f, t)
) WITHOUT ROWID`;

// `agg` holds count, sum, min and max of every field (aggregate.ts describes the BLOB).
const rollupTable = (table: string) =>
  `CREATE TABLE IF NOT EXISTS ${table} (f INTEGER NOT NULL, b INTEGER NOT NULL, agg BLOB NOT NULL, PRIMARY KEY (f, b)) WITHOUT ROWID`;

const STATEMENTS = [
  // The fermenter's string id maps to a small integer key; last_* remember what the previous state said, so
  // that changes of mode, setpoint and profile step are detected at ingest, across restarts too.
  `CREATE TABLE IF NOT EXISTS fermenters (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    last_t INTEGER,
    last_mode TEXT,
    last_beer_sp REAL,
    last_chamber_sp REAL,
    last_step INTEGER
  )`,
  rawTable,
  ...ROLLUP_LEVELS.map((l) => rollupTable(l.table)),
  `CREATE TABLE IF NOT EXISTS events (
    f INTEGER NOT NULL,
    t INTEGER NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS events_by_time ON events (f, t)',
  // An incident is known by its fermenter, time and the bridge's sequence number: a QoS 1 redelivery is the
  // same row, not a second incident.
  `CREATE TABLE IF NOT EXISTS incidents (
    f INTEGER NOT NULL,
    t INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (f, t, seq)
  ) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS incidents_by_time ON incidents (t)',
];

/** The history database's migrations, in order (common/sqlite-migrate.ts applies them). */
export const HISTORY_MIGRATIONS: readonly string[] = [STATEMENTS.join(';\n')];
