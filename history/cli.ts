// `cobrew export`: reads the history database from its own process, beside a running cobrew (WAL lets
// readers in while it writes). `cobrew backup` (app/) copies it with everything else.
import { once } from 'node:events';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import type { CliContext, ConfigFlags } from '../common/cli-context.js';
import type { HistorySettings } from './config-schema.js';
import { HistoryOpenError } from './errors.js';
import { DAY_MS, historyFile } from './files.js';
import { HistoryReader, parseTime } from './reader.js';

interface ExportFlags extends ConfigFlags {
  from?: string;
  to?: string;
  fields?: string;
}

export function addHistoryCommands(program: Command, ctx: CliContext<{ history: HistorySettings }>): void {
  ctx
    .withConfigOptions(
      program
        .command('export <fermenter>')
        .description("write a fermenter's raw readings as CSV to standard output, e.g. > ale.csv")
        .option('--from <time>', 'start, ISO 8601 (2026-03-01T12:00Z) or epoch ms; default 24 h before --to')
        .option('--to <time>', 'end, ISO 8601 or epoch ms; default the newest reading')
        .option('--fields <list>', 'comma-separated, e.g. beerC,chamberC,gravity; default all'),
    )
    .action(async (fermenter: string, opts: ExportFlags) => {
      const { config, dataDir } = await ctx.loadConfig(opts);
      const path = historyFile(dataDir);
      let db: Database.Database;
      try {
        db = new Database(path, { readonly: true, fileMustExist: true });
      } catch (err) {
        throw new HistoryOpenError(path, (err as Error).message, { cause: err });
      }
      try {
        const reader = new HistoryReader(db, { retentionMs: config.history.retentionDays * DAY_MS });
        const chunks = reader.csv({
          fermenterId: fermenter,
          ...(opts.from === undefined ? {} : { from: parseTime(opts.from, '--from') }),
          ...(opts.to === undefined ? {} : { to: parseTime(opts.to, '--to') }),
          ...(opts.fields === undefined ? {} : { fields: opts.fields.split(',').map((f) => f.trim()) }),
        });
        // Chunk by chunk with the pipe's back-pressure: memory stays flat whatever the range.
        for (const chunk of chunks) {
          if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
        }
      } finally {
        db.close();
      }
    });
}
