#!/usr/bin/env node
// The `cobrew` command.
import { Command, Option } from 'commander';
import { packageVersion } from '../../common/version.js';
import type { ConfigFlags } from '../config/load.js';
import { LOG_LEVELS, type LogLevel } from '../log.js';
import { withConfigOptions } from './context.js';

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

// `cobrew start` loads only the parts its role runs (app/app.ts); the other commands, and the code of every
// area they need, are loaded for any other command line (help included).
if (process.argv[2] !== 'start') (await import('./commands.js')).addOtherCommands(program);

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
