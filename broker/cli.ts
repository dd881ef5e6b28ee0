// `cobrew mqtt-user add|list|remove`: the people and devices allowed on the embedded broker. A running cobrew
// rereads the users file at each connection, so changes need no restart.
import type { Command } from 'commander';
import type { CliContext } from '../common/cli-context.js';
import { ROLES } from './acl.js';
import { addUser, listUsers, removeUser, usersFile } from './credentials.js';

interface DataDirFlag {
  dataDir?: string;
}

const ROLE_HELP = `
Roles:
  bridge     publishes the state of its own fermenters (--fermenters) and receives their commands
  service    reads everything, sends commands (<base>/fermenter/+/set) and Home Assistant discovery
  viewer     reads <base>/#, publishes nothing
  ispindel   publishes ispindel/<its name>/# only`;

export function addMqttUserCommands(program: Command, ctx: CliContext): void {
  const fileFor = (opts: DataDirFlag) => usersFile(ctx.dataDir(opts));
  const group = program
    .command('mqtt-user')
    .description(
      'manage who may use the embedded MQTT broker (users kept hashed in <data dir>/mqtt-users.json)',
    )
    .addHelpText('after', ROLE_HELP);
  const dataDirOption = ['--data-dir <dir>', 'where cobrew keeps its files (env COBREW_DATA_DIR)'] as const;

  group
    .command('add <name>')
    .description('add a user')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--password <pw>', 'its password (stored as a scrypt hash)')
    .option('--fermenters <ids>', 'for a bridge: the fermenter ids it runs, comma-separated')
    .option(...dataDirOption)
    .action(
      async (name: string, opts: DataDirFlag & { role: string; password: string; fermenters?: string }) => {
        const file = fileFor(opts);
        const fermenters = opts.fermenters
          ?.split(',')
          .map((id) => id.trim())
          .filter((id) => id !== '');
        const user = await addUser(file, { name, role: opts.role, password: opts.password, fermenters });
        const owns = user.fermenters ? ` for fermenters ${user.fermenters.join(', ')}` : '';
        process.stdout.write(`Added MQTT user ${user.name} (${user.role}${owns}) to ${file}.\n`);
      },
    );

  group
    .command('list')
    .description('list the users and their roles')
    .option(...dataDirOption)
    .action(async (opts: DataDirFlag) => {
      const file = fileFor(opts);
      const users = await listUsers(file);
      if (users.length === 0) {
        process.stderr.write(`No MQTT users in ${file}; \`cobrew start\` creates its own on first run.\n`);
        return;
      }
      const rows = [
        ['NAME', 'ROLE', 'FERMENTERS'],
        ...users.map((u) => [u.name, u.role, u.fermenters?.join(',') ?? '']),
      ];
      const widths = [0, 1].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)));
      for (const r of rows) {
        process.stdout.write(
          `${r
            .map((cell, i) => cell.padEnd(widths[i] ?? 0))
            .join('  ')
            .trimEnd()}\n`,
        );
      }
    });

  group
    .command('remove <name>')
    .description('remove a user; its open connections last until they reconnect')
    .option(...dataDirOption)
    .action(async (name: string, opts: DataDirFlag) => {
      const file = fileFor(opts);
      await removeUser(file, name);
      process.stdout.write(`Removed MQTT user ${name} from ${file}.\n`);
    });
}
