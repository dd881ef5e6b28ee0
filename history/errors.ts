import createError from '@fastify/error';

export const HistoryOpenError = createError(
  'COBREW_ERR_HISTORY_OPEN',
  'Cannot open the history database %s (%s). Check that the data directory is writable and has free ' +
    'space; if the file is damaged, restore a backup as docs/history.md describes.',
);

export const HistoryTooNewError = createError(
  'COBREW_ERR_HISTORY_TOO_NEW',
  'The history database %s was written by a newer cobrew (schema %s). Run that version, or restore a ' +
    'backup made by this one (docs/history.md).',
);

export const HistoryUnknownFermenterError = createError(
  'COBREW_ERR_HISTORY_UNKNOWN_FERMENTER',
  'No history for fermenter "%s". Check the id (GET /api/fermenters lists them); a fermenter has history ' +
    'once its first state was recorded.',
  404,
);

export const HistoryFieldError = createError(
  'COBREW_ERR_HISTORY_FIELD',
  'Unknown history field "%s". Use some of: %s.',
  400,
);

export const HistoryRangeError = createError(
  'COBREW_ERR_HISTORY_RANGE',
  'The time range is invalid: %s. Give from and to as epoch milliseconds or ISO 8601 dates, from ≤ to.',
  400,
);

export const HistoryUnavailableError = createError(
  'COBREW_ERR_HISTORY_UNAVAILABLE',
  'The history store is not running (%s). Check the log for why it stopped and restart cobrew.',
  503,
);

export const HistoryUnwritableError = createError(
  'COBREW_ERR_HISTORY_UNWRITABLE',
  'Cannot write the history database (%s). Readings wait on disk in %s (at most %s, history.spoolMax) and ' +
    'are written when it recovers, even after a restart: free disk space, or stop whatever holds the ' +
    'database locked.',
);

export const HistorySpoolFullError = createError(
  'COBREW_ERR_HISTORY_SPOOL_FULL',
  'The history spool %s is full (%s readings) while the database cannot be written: the oldest spooled ' +
    'readings are being dropped. Free disk space or release the lock; history.spoolMax sets the bound.',
);

export const HistorySpoolUnwritableError = createError(
  'COBREW_ERR_HISTORY_SPOOL_UNWRITABLE',
  'Cannot write the history spool %s either (%s): readings wait in memory only (at most %s, ' +
    'history.queueMax) and are lost if cobrew stops before the disk recovers. Free disk space in the data ' +
    'directory.',
);

export const HistorySpoolOpenError = createError(
  'COBREW_ERR_HISTORY_SPOOL_OPEN',
  'Cannot read the history spool %s (%s). It must be a directory cobrew can read and write: fix its ' +
    'permissions, or move it away (the readings it holds are then not recorded).',
);

export const HistorySpoolLineError = createError(
  'COBREW_ERR_HISTORY_SPOOL_LINE',
  '%s unreadable line(s) in the history spool %s were skipped. One line cut short by a crash or power cut ' +
    'is expected; more mean the spool was damaged or edited.',
);

export const HistoryQueueFullError = createError(
  'COBREW_ERR_HISTORY_QUEUE_FULL',
  'The history queue in memory is full (%s readings) while neither the database nor its spool can be ' +
    'written: the oldest waiting readings are being dropped. Free disk space or release the lock; ' +
    'history.queueMax sets the bound.',
);

export const HistoryTimeoutError = createError(
  'COBREW_ERR_HISTORY_TIMEOUT',
  'The history store did not answer the %s request within %s ms. Ask for a shorter range or fewer points; ' +
    'if it keeps happening, check the log and the disk holding history.db.',
  503,
);
