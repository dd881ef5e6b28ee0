// `cobrew service unit`: the systemd unit for this machine, for `sudo tee /etc/systemd/system/cobrew.service`.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { serviceUnit } from '../service/unit.js';

export function addServiceCommands(program: Command): void {
  program
    .command('service')
    .description('run cobrew as a systemd service (docs/operations.md)')
    .command('unit')
    .description(
      'print the systemd unit for this machine: sudo tee /etc/systemd/system/cobrew.service, then ' +
        'systemctl enable --now cobrew',
    )
    .option('--user <name>', 'the account cobrew runs as', process.env.SUDO_USER ?? process.env.USER ?? 'pi')
    .option('--data-dir <dir>', 'where the service keeps its files', '/var/lib/cobrew')
    .action((opts: { user: string; dataDir: string }) => {
      const entry = resolve(process.argv[1] ?? 'cobrew');
      process.stdout.write(
        serviceUnit({ user: opts.user, node: process.execPath, entry, dataDir: resolve(opts.dataDir) }),
      );
    });
}
