// `cobrew user add|list|remove`: the people who may log in to the dashboard, kept in <data dir>/dashboard.db.
// A running cobrew sees changes at once: a removed user's sessions end with it.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { CliContext } from '../../common/cli-context.js';
import { ROLES } from '../../common/roles.js';
import { dashboardDbFile } from './database.js';
import { PasswordMismatchError } from './errors.js';
import { openAccounts } from './index.js';

interface DataDirFlag {
  dataDir?: string;
}

const ROLE_HELP = `
Roles, each with the rights of the ones before it:
  viewer   sees every fermenter, chart, incident and the audit log
  member   may also make changes that do not touch a fermenter
  brewer   may also change setpoints, modes and profiles, and clear trips
  admin    everything`;

/**
 * Asks for the password twice without showing it. From a pipe, the two lines are read as they come, so
 * `printf 'pw\\npw\\n' | cobrew user add …` works too.
 */
async function askPassword(): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  const lines = rl[Symbol.asyncIterator]();
  const ask = async (prompt: string) => {
    process.stderr.write(prompt);
    muted = true;
    const line = await lines.next();
    muted = false;
    process.stderr.write('\n');
    return line.done ? '' : String(line.value);
  };
  try {
    const first = await ask('Password: ');
    const second = await ask('Password again: ');
    if (first !== second) throw new PasswordMismatchError();
    return first;
  } finally {
    rl.close();
  }
}

export function addUserCommands(program: Command, ctx: CliContext): void {
  const group = program
    .command('user')
    .description('manage who may log in to the dashboard (kept in <data dir>/dashboard.db)')
    .addHelpText('after', ROLE_HELP);
  const dataDirOption = ['--data-dir <dir>', 'where cobrew keeps its files (env COBREW_DATA_DIR)'] as const;
  const accountsFor = (opts: DataDirFlag) => {
    const dataDir = ctx.dataDir(opts);
    return { accounts: openAccounts({ dataDir }), file: dashboardDbFile(dataDir) };
  };

  group
    .command('add <name>')
    .description('add a user; asks for the password (twice, not shown) unless --password is given')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password <pw>', 'its password (stored as a scrypt hash); visible in the shell history')
    .option(...dataDirOption)
    .action(async (name: string, opts: DataDirFlag & { role: string; password?: string }) => {
      const password = opts.password ?? (await askPassword());
      const { accounts, file } = accountsFor(opts);
      try {
        const user = await accounts.users.add(name, opts.role, password);
        process.stdout.write(`Added dashboard user ${user.name} (${user.role}) to ${file}.\n`);
      } finally {
        accounts.close();
      }
    });

  group
    .command('list')
    .description('list the users and their roles')
    .option(...dataDirOption)
    .action((opts: DataDirFlag) => {
      const { accounts, file } = accountsFor(opts);
      try {
        const users = accounts.users.list();
        if (users.length === 0) {
          process.stderr.write(
            `No dashboard users in ${file}; create the first admin with \`cobrew user add <name> --role admin\`.\n`,
          );
          return;
        }
        const width = Math.max(4, ...users.map((u) => u.name.length));
        process.stdout.write(`${'NAME'.padEnd(width)}  ROLE    CREATED\n`);
        for (const u of users) {
          const created = new Date(u.createdAt).toISOString().slice(0, 10);
          process.stdout.write(`${u.name.padEnd(width)}  ${u.role.padEnd(6)}  ${created}\n`);
        }
      } finally {
        accounts.close();
      }
    });

  group
    .command('remove <name>')
    .description('remove a user; its sessions end at once')
    .option(...dataDirOption)
    .action((name: string, opts: DataDirFlag) => {
      const { accounts, file } = accountsFor(opts);
      try {
        accounts.users.remove(name);
        process.stdout.write(`Removed dashboard user ${name} from ${file}.\n`);
      } finally {
        accounts.close();
      }
    });
}
