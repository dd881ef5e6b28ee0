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

export const HistoryBackupError = createError(
  'COBREW_ERR_HISTORY_BACKUP',
  'The backup to %s failed (%s). Check that its folder exists, is writable and has free space.',
);

export const HistoryUnwritableError = createError(
  'COBREW_ERR_HISTORY_UNWRITABLE',
  'Cannot write the history database (%s). Readings wait in memory (at most %s) and are written when it ' +
    'recovers: free disk space, or stop whatever holds the database locked.',
);

export const HistoryQueueFullError = createError(
  'COBREW_ERR_HISTORY_QUEUE_FULL',
  'The history queue is full (%s readings) while the database cannot be written: the oldest waiting ' +
    'readings are being dropped. Free disk space or release the lock; history.queueMax sets the bound.',
);
