// Errors of `cobrew backup` and `cobrew restore`; each says what to do.
import createError from '@fastify/error';

export const BackupError = createError<'COBREW_ERR_BACKUP', [string, string]>(
  'COBREW_ERR_BACKUP',
  'Cannot write the backup %s: %s',
);

export const BackupDamagedError = createError<'COBREW_ERR_BACKUP_DAMAGED', [string, string]>(
  'COBREW_ERR_BACKUP_DAMAGED',
  'The backup %s is damaged (%s); nothing was restored. Use another copy of it',
);

export const BackupNewerError = createError<'COBREW_ERR_BACKUP_NEWER', [string, string, string]>(
  'COBREW_ERR_BACKUP_NEWER',
  'The backup %s was made by cobrew %s, newer than this cobrew %s; nothing was restored. Upgrade cobrew first',
);
