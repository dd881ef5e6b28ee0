// `backup:` in cobrew.yaml: optional backups of everything on a schedule, keeping the newest few.
import { type Static, Type as T } from '@sinclair/typebox';

export const BackupScheduleSchema = T.Object(
  {
    everyH: T.Number({
      default: 24,
      minimum: 1,
      maximum: 168,
      description: 'Hours between two backups (24: nightly); counted from the newest backup, across restarts',
    }),
    keep: T.Integer({
      default: 7,
      minimum: 1,
      maximum: 1000,
      description: 'Backups kept; older ones are deleted',
    }),
    dir: T.Optional(
      T.String({
        minLength: 1,
        description: 'Where backups go (default <data dir>/backups); best on another disk',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Scheduled backups of everything, as `cobrew backup` makes them; absent: none',
  },
);
export type BackupSchedule = Static<typeof BackupScheduleSchema>;
