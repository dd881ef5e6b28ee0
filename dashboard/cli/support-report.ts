// `cobrew support-report [--out file.md]`: one Markdown file and its JSON twin (same name, .json) from the
// configuration and the journal, for a volunteer to read in a minute.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { type ConfigFlags, loadConfig } from '../config/load.js';
import { readJournal } from '../journal/journal-file.js';
import { buildReport } from '../journal/report.js';
import { renderMarkdown } from '../journal/report-markdown.js';
import { packageVersion } from './version.js';

export async function writeSupportReport(
  flags: ConfigFlags,
  out: string | undefined,
  now = Date.now(),
): Promise<{ markdown: string; json: string }> {
  const { config, dataDir, file } = await loadConfig({ flags });
  const report = buildReport({
    config,
    configFile: file,
    version: packageVersion(),
    now,
    journal: readJournal(dataDir),
  });
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const markdown = resolve(out ?? `cobrew-support-${stamp}.md`);
  const json = markdown.replace(/(\.md)?$/, '.json');
  await mkdir(dirname(markdown), { recursive: true });
  await writeFile(markdown, renderMarkdown(report));
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  return { markdown, json };
}

export function addSupportReportCommand(
  program: Command,
  withConfigOptions: (cmd: Command) => Command,
): void {
  withConfigOptions(
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
  ).action(async (opts: ConfigFlags & { out?: string }) => {
    const written = await writeSupportReport(opts, opts.out);
    process.stdout.write(`${written.markdown}\n${written.json}\n`);
  });
}
