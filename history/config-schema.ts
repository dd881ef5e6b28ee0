// The `history:` section of cobrew.yaml.
import { type Static, Type as T } from '@sinclair/typebox';

export const HistorySchema = T.Object(
  {
    enabled: T.Boolean({
      default: true,
      description: 'Record every fermenter state and incident in <data dir>/history.db',
    }),
    retentionDays: T.Integer({
      default: 30,
      minimum: 1,
      description:
        'Raw readings (one per state) are kept this many days behind the newest; the 10 s, 1 min, 5 min, ' +
        '15 min and 1 h rollups (min, mean, max) are kept for good',
    }),
    queueMax: T.Integer({
      default: 100_000,
      minimum: 100,
      description:
        'Readings held in memory while neither the database nor its spool can be written (disk full); past it the ' +
        'oldest waiting ones are dropped and logged. 100000 is about 7 h of 4 fermenters at one state a second',
    }),
    spoolMax: T.Integer({
      default: 1_000_000,
      minimum: 1000,
      description:
        'Readings kept on disk in <data dir>/history-spool/ while the database cannot be written, and written ' +
        'to it when it can, even after a restart; past it the oldest are dropped, a tenth of the bound at a ' +
        'time, and logged. 1000000 is about 270 MB and 3 days of 4 fermenters at one state a second',
    }),
  },
  { additionalProperties: false, default: {}, description: 'The brew history (docs/history.md)' },
);
export type HistorySettings = Static<typeof HistorySchema>;
