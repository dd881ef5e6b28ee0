// `cobrew support-report [--out file.md]`: one Markdown file and its JSON twin (same name, .json) from the
// configuration and the journal, for a volunteer to read in a minute.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext, ConfigFlags } from '../../common/cli-context.js';
import { OWNER_ONLY_FILE, ownerOnlyFile } from '../../common/owner-only.js';
import type { FermenterConfig } from '../config-schema.js';
import { readJournal } from './journal-file.js';
import { buildReport } from './report.js';
import { renderMarkdown } from './report-markdown.js';

/** The part of cobrew.yaml the report reads. */
export type ReportCli = CliContext<{ readonly fermenters: readonly FermenterConfig[] }>;

export async function writeSupportReport(
  ctx: ReportCli,
  flags: ConfigFlags,
  out: string | undefined,
  now = Date.now(),
): Promise<{ markdown: string; json: string }> {
  const { config, dataDir, file } = await ctx.loadConfig(flags);
  const report = buildReport({
    config: ctx.redact(config),
    defaults: ctx.redact(ctx.defaults()),
    configFile: file,
    version: ctx.version,
    now,
    journal: readJournal(dataDir),
  });
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const markdown = resolve(out ?? `cobrew-support-${stamp}.md`);
  const json = markdown.replace(/(\.md)?$/, '.json');
  await mkdir(dirname(markdown), { recursive: true });
  // The report quotes the configuration: for its owner to pass on, not for everyone on the machine.
  await writeFile(markdown, renderMarkdown(report), { mode: OWNER_ONLY_FILE });
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`, { mode: OWNER_ONLY_FILE });
  ownerOnlyFile(markdown);
  ownerOnlyFile(json);
  return { markdown, json };
}

export function addSupportReportCommand(program: Command, ctx: ReportCli): void {
  ctx
    .withConfigOptions(
      program
        .command('support-report')
        .description(
          'write a Markdown report (and its JSON twin) saying whether each board is the reference design, its firmware, ' +
            'the configuration differences from the defaults, and every incident with readings before and after',
        )
        .option(
          '--out <file>',
          'the Markdown file to write (the JSON twin goes beside it); default in this directory',
        ),
    )
    .action(async (opts: ConfigFlags & { out?: string }) => {
      const written = await writeSupportReport(ctx, opts, opts.out);
      process.stdout.write(`${written.markdown}\n${written.json}\n`);
    });
}
