// What the application hands each area's CLI commands, so that no area needs to know how cobrew.yaml and the
// data dir are found: app/ owns that, and every area registers its own commands with this.
import type { Command } from 'commander';

/** Values as typed on the command line; the loader checks them like everything else. */
export interface ConfigFlags {
  dataDir?: string;
  config?: string;
  httpPort?: string;
  mqttPort?: string;
  wsPort?: string;
  speed?: string;
  /** `cobrew start --role`: all, bridge or hub. */
  role?: string;
}

export interface LoadedConfig<C> {
  config: C;
  dataDir: string;
  /** The file that was read, or null when the built-in defaults were used. */
  file: string | null;
}

/** `C` is the slice of cobrew.yaml a command reads; the whole configuration satisfies every slice. */
export interface CliContext<C = unknown> {
  /** Adds --data-dir, --config and the other configuration flags to a command. */
  withConfigOptions(cmd: Command): Command;
  /** The data dir the flags name, without reading the configuration. */
  dataDir(flags: ConfigFlags): string;
  /** The configuration the flags name, checked, with its defaults filled in. */
  loadConfig(flags: ConfigFlags): Promise<LoadedConfig<C>>;
  /** The configuration with every secret masked, for anything a person may paste into a request for help. */
  redact<T>(config: T): T;
  /** The built-in defaults of the whole configuration. */
  defaults(): Record<string, unknown>;
  /** cobrew's version. */
  version: string;
}
