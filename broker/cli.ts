// `cobrew mqtt-user add|list|remove`: the people and devices allowed on the embedded broker. A running cobrew
// rereads the users file at each connection, so changes need no restart.
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../common/cli-context.js';
import { ROLES } from './acl.js';
import { addUser, listUsers, readUsers, removeUser, setUserPassword, usersFile } from './credentials.js';
import { MOSQUITTO_FILE_NAMES, withoutHashAdvice, writeMosquittoFiles } from './mosquitto-config.js';

/** The slice of cobrew.yaml that `mqtt-user mosquitto-config` reads. */
export interface MqttCliConfig {
  readonly mqtt: {
    readonly host: string;
    readonly port: number;
    readonly wsPort: number;
    readonly baseTopic: string;
    readonly anonymous: 'refuse' | 'viewer';
  };
}

interface DataDirFlag {
  dataDir?: string;
}

const ROLE_HELP = `
Roles:
  bridge     publishes the state of its own fermenters (--fermenters) and receives their commands
  service    reads everything, sends commands (<base>/fermenter/+/set) and Home Assistant discovery
  viewer     reads <base>/#, publishes nothing
  ispindel   publishes ispindel/<its name>/# only`;

export function addMqttUserCommands(program: Command, ctx: CliContext<MqttCliConfig>): void {
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
      // Mosquitto needs the hash kept beside the scrypt one; a password set by an older cobrew has none.
      const rows = [
        ['NAME', 'ROLE', 'MOSQUITTO', 'FERMENTERS'],
        ...users.map((u) => [u.name, u.role, u.mosquitto ? 'yes' : 'no', u.fermenters?.join(',') ?? '']),
      ];
      const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)));
      for (const r of rows) {
        process.stdout.write(
          `${r
            .map((cell, i) => cell.padEnd(widths[i] ?? 0))
            .join('  ')
            .trimEnd()}\n`,
        );
      }
      const advice = withoutHashAdvice(users.filter((u) => !u.mosquitto).map((u) => u.name));
      if (advice !== null) process.stderr.write(`${advice}\n`);
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

  group
    .command('password <name>')
    .description('give a user a new password (also kept in the form Mosquitto reads)')
    .requiredOption('--password <pw>', 'its new password')
    .option(...dataDirOption)
    .action(async (name: string, opts: DataDirFlag & { password: string }) => {
      const file = fileFor(opts);
      await setUserPassword(file, name, opts.password);
      process.stdout.write(`Changed the password of MQTT user ${name} in ${file}.\n`);
    });

  ctx
    .withConfigOptions(
      group
        .command('mosquitto-config')
        .description(
          'write a password file, ACL and mosquitto.conf from these users and roles, for a Mosquitto ' +
            '(MQTT 5) in place of the embedded broker: run `mosquitto -c <out>/mosquitto.conf`',
        )
        .requiredOption('--out <dir>', 'the directory to write them to (created owner-only)'),
    )
    .action(async (opts: { out: string; dataDir?: string; config?: string }) => {
      const { config, dataDir } = await ctx.loadConfig(opts);
      const { mqtt } = config;
      const dir = resolve(opts.out);
      const files = await writeMosquittoFiles(
        await readUsers(usersFile(dataDir)),
        { ...mqtt, runAs: userInfo().username },
        dir,
      );
      const advice = withoutHashAdvice(files.withoutHash);
      if (advice !== null) process.stderr.write(`${advice}\n`);
      const written = Object.values(MOSQUITTO_FILE_NAMES).join(', ');
      process.stdout.write(`Wrote ${written} to ${dir}; start it with: mosquitto -c ${dir}/mosquitto.conf\n`);
    });
}
