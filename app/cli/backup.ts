// `cobrew backup <file>` and `cobrew restore <file>`: the whole space in one file, and back.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ConfigFlags } from '../../common/cli-context.js';
import { packageVersion } from '../../common/version.js';
import { readBackup, restoreBackup, writeBackup } from '../backup/archive.js';
import { loadConfig, resolveDataDir } from '../config/load.js';
import { withConfigOptions } from './context.js';

export function addBackupCommands(program: Command): void {
  withConfigOptions(
    program
      .command('backup <file>')
      .description(
        'write everything needed to rebuild this space to <file> (a new file), safely while cobrew runs: ' +
          'every database, the broker users, cobrew.yaml and the journal',
      ),
  ).action(async (file: string, flags: ConfigFlags) => {
    const { dataDir, file: configFile } = await loadConfig({ flags });
    const dest = resolve(file);
    const parts = await writeBackup({
      dataDir,
      configFile,
      dest,
      version: packageVersion(),
      now: Date.now(),
    });
    process.stderr.write(`Backed up ${parts.join(', ')} to ${dest}. Restore with: cobrew restore ${dest}\n`);
  });

  withConfigOptions(
    program
      .command('restore <file>')
      .description(
        'put a backup back into the data directory (stop cobrew first); what was there is moved aside, and a ' +
          'damaged backup or one from a newer cobrew is refused whole',
      )
      .option('--check', 'only check the backup and list what it holds'),
  ).action((file: string, flags: ConfigFlags & { check?: boolean }) => {
    const version = packageVersion();
    if (flags.check) {
      const b = readBackup(resolve(file), version);
      process.stdout.write(
        `${file}: made by cobrew ${b.version} at ${b.createdAt}, intact: ${b.entries.map((e) => e.name).join(', ')}\n`,
      );
      return;
    }
    const dataDir = resolveDataDir({ flags });
    const { restored, movedTo } = restoreBackup({ dataDir, file: resolve(file), version, now: Date.now() });
    const aside = movedTo === null ? '' : ` What was there before is in ${movedTo}.`;
    process.stderr.write(`Restored ${restored.join(', ')} into ${dataDir}.${aside}\n`);
  });
}
