#!/usr/bin/env node
// The `cobrew` command.
import { Command, Option } from 'commander';
import { stringify } from 'yaml';
import { addAlertCommands } from '../../alerts/cli.js';
import { addMqttUserCommands } from '../../broker/cli.js';
import { packageVersion } from '../../common/version.js';
import { addUserCommands } from '../../dashboard/accounts/cli.js';
import { noBoardFailsafeLines } from '../../firmware-bridge/boards/board-failsafe.js';
import { assertBoardSetup } from '../../firmware-bridge/boards/check.js';
import { addBoardCheckCommand } from '../../firmware-bridge/commissioning/board-check.js';
import { addBoardFlashCommand } from '../../firmware-bridge/commissioning/board-flash.js';
import { addBoardListCommand } from '../../firmware-bridge/commissioning/board-list.js';
import { addSupportReportCommand } from '../../firmware-bridge/journal/cli.js';
import { addStateCommands } from '../../firmware-bridge/state/cli.js';
import { addHistoryCommands } from '../../history/cli.js';
import { addRecipeFileCommands } from '../../recipes/cli/recipe-file.js';
import { addCommonsCommands } from '../../recipes/commons/commands.js';
import { fileSchema } from '../config/file-schema.js';
import { type ConfigFlags, loadConfig } from '../config/load.js';
import { inSchemaOrder } from '../config/order.js';
import { ConfigSchema } from '../config/schema.js';
import { withoutSecrets } from '../config/secrets.js';
import { LOG_LEVELS, type LogLevel } from '../log.js';
import { addBackupCommands } from './backup.js';
import { cliContext, withConfigOptions } from './context.js';
import { addServiceCommands } from './service.js';

const ENVIRONMENT = `
Environment variables (a flag wins over its variable, which wins over cobrew.yaml):
  COBREW_DATA_DIR    data directory (default $XDG_DATA_HOME/cobrew or ~/.local/share/cobrew)
  COBREW_HTTP_PORT   status page port
  COBREW_MQTT_PORT   MQTT broker port
  COBREW_WS_PORT     MQTT over WebSocket port
  COBREW_SPEED       simulation speed
  COBREW_ROLE        what cobrew start runs: all, bridge or hub`;

const program = new Command()
  .name('cobrew')
  .description('Fermentation control for a cobrewing space: fermenters, an MQTT broker and a status page.')
  .version(packageVersion())
  .showHelpAfterError()
  .addHelpText('after', ENVIRONMENT);

withConfigOptions(
  program
    .command('start')
    .description('run the fermenters, the MQTT broker (unless mqtt.url names one) and the status page'),
)
  .addOption(
    new Option(
      '--role <role>',
      'run only the bridge or the hub (docs/topology.md); default all (env COBREW_ROLE)',
    ).choices(['all', 'bridge', 'hub']),
  )
  .addOption(new Option('--log-level <level>', 'how much to log').choices(LOG_LEVELS).default('info'))
  .action(async (opts: ConfigFlags & { logLevel: LogLevel }) => {
    // Loaded here so that help and config commands work without bringing up the control stack.
    const { runStart } = await import('./start.js');
    await runStart(opts, opts.logLevel);
  });

const config = program.command('config').description('check or describe the configuration');

withConfigOptions(
  config
    .command('check [file]')
    .description(
      'validate the configuration (schema, and each board against its profile ratings) without starting anything, ' +
        'and print it with every default filled in; exits non-zero on any refusal',
    ),
).action(async (given: string | undefined, opts: ConfigFlags) => {
  const { config, file } = await loadConfig({
    flags: given === undefined ? opts : { ...opts, config: given },
  });
  assertBoardSetup(config.fermenters, { speed: config.sim.speed });
  process.stderr.write(`Configuration OK (${file ?? 'no file found: built-in defaults'}).\n`);
  for (const line of noBoardFailsafeLines(config.fermenters)) process.stderr.write(`Warning: ${line}.\n`);
  // The resolved file may be pasted into a support request: the broker password and the InfluxDB token
  // stay out of it.
  process.stdout.write(stringify(inSchemaOrder(withoutSecrets(config), ConfigSchema)));
});

config
  .command('schema')
  .description('print the JSON Schema of cobrew.yaml')
  .action(() => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      ...(fileSchema(ConfigSchema) as object),
    };
    process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  });

addMqttUserCommands(program, cliContext);
addHistoryCommands(program, cliContext);
addAlertCommands(program, cliContext);

/** How the recipe and commons commands find and open <data dir>/recipes.db. */
const commonsStore = {
  withStoreOptions: (cmd: Command) =>
    cmd
      .option('--data-dir <dir>', 'where cobrew keeps its files (env COBREW_DATA_DIR)')
      .option('--config <file>', 'configuration file to use instead of <data dir>/cobrew.yaml'),
  openStore: async (flags: ConfigFlags) => {
    const { config, dataDir } = await loadConfig({ flags });
    // Loaded here so that `recipe calc` does not open SQLite.
    const { openCommonsStore } = await import('../../recipes/cli/store.js');
    const { sharedProfileProblems } = await import('../../firmware-bridge/boards/shared-profile.js');
    return openCommonsStore(config, dataDir, undefined, sharedProfileProblems);
  },
};
const recipe = program.command('recipe').description('recipe files (BeerJSON, BeerXML) and the commons');
addRecipeFileCommands(recipe, commonsStore);
addCommonsCommands(program, commonsStore);
addUserCommands(program, cliContext);

const board = program.command('board').description('serial boards: find them, check them');
addBoardListCommand(board);
addBoardFlashCommand(board, cliContext);
addBoardCheckCommand(board, cliContext);
addSupportReportCommand(program, cliContext);
addStateCommands(program, cliContext);
addBackupCommands(program);
addServiceCommands(program);

/** Errors that mean the file given is at fault, not cobrew or the machine: exit code 2, as for usage errors. */
const BAD_INPUT = new Set([
  'COBREW_ERR_CONFIG_INVALID',
  'COBREW_ERR_RECIPE_FILE_MALFORMED',
  'COBREW_ERR_RECIPE_XML_ENTITIES',
  'COBREW_ERR_RECIPE_FILE_TOO_LARGE',
  'COBREW_ERR_RECIPE_FORMAT_UNKNOWN',
]);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('COBREW_ERR_')) {
    // Our errors say what to do; a stack trace would only bury that.
    process.stderr.write(`${code}: ${(err as Error).message}\n`);
    process.exit(BAD_INPUT.has(code) ? 2 : 1);
  }
  throw err;
}
