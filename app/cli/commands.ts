// Every command but `start`, registered by app/cli/main.ts for any other command line: `cobrew start` then
// loads none of the code these commands need.
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { addAlertCommands } from '../../alerts/cli.js';
import { addMqttUserCommands } from '../../broker/cli.js';
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
import { addBackupCommands } from './backup.js';
import { cliContext, withConfigOptions } from './context.js';
import { addServiceCommands } from './service.js';

export function addOtherCommands(program: Command): void {
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
}
