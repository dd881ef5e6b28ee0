// The CliContext every area's commands get: how flags, the data dir and cobrew.yaml are read, what the
// defaults are, and how secrets are masked.
import type { Command } from 'commander';
import type { CliContext } from '../../common/cli-context.js';
import { schemaChecker } from '../../common/schema-check.js';
import { packageVersion } from '../../common/version.js';
import { loadConfig, resolveDataDir } from '../config/load.js';
import { type CobrewConfig, ConfigSchema } from '../config/schema.js';
import { withoutSecrets } from '../config/secrets.js';

export function withConfigOptions(cmd: Command): Command {
  return cmd
    .option(
      '--data-dir <dir>',
      'where cobrew keeps its files and looks for cobrew.yaml (env COBREW_DATA_DIR)',
    )
    .option('--config <file>', 'configuration file to use instead of <data dir>/cobrew.yaml')
    .option('--http-port <n>', 'status page port, 0 for any free one (env COBREW_HTTP_PORT)')
    .option(
      '--mqtt-port <n>',
      'embedded MQTT broker port, 0 for any free one; unused with mqtt.url (env COBREW_MQTT_PORT)',
    )
    .option(
      '--ws-port <n>',
      'embedded broker MQTT over WebSocket port, 0 for any free one; unused with mqtt.url (env COBREW_WS_PORT)',
    )
    .option(
      '--speed <x>',
      'run simulated fermenters this many times faster than real time (env COBREW_SPEED)',
    );
}

const checkConfig = schemaChecker(ConfigSchema, 'the configuration');

export const cliContext: CliContext<CobrewConfig> = {
  withConfigOptions,
  dataDir: (flags) => resolveDataDir({ flags }),
  loadConfig: (flags) => loadConfig({ flags }),
  redact: withoutSecrets,
  defaults: () => checkConfig({}) as unknown as Record<string, unknown>,
  version: packageVersion(),
};
