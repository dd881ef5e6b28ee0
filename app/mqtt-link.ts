// Where cobrew's MQTT clients connect: the embedded broker, started here with an account per component, or
// the external broker of `mqtt.url`, where one account serves every cobrew client.
import { readFile } from 'node:fs/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { IClientOptions } from 'mqtt';
import type { CommandRights } from '../broker/command-rights.js';
import { type ComponentAccounts, ensureComponentAccounts } from '../broker/component-accounts.js';
import { UserDirectory, usersFile } from '../broker/credentials.js';
import type { CobrewConfig } from './config/schema.js';
import { ConfigInvalidError, MqttBrokerUnreachableError } from './errors.js';

export interface MqttLink {
  readonly kind: 'embedded' | 'mosquitto' | 'external';
  /** The one account of every client on an external broker; null for the embedded one's several. */
  readonly username: string | null;
  /** What cobrew's clients dial; it never holds credentials, so logs and pages may show it. */
  readonly url: string;
  /** MQTT over WebSocket for browsers, when cobrew serves it. */
  readonly wsUrl: string | null;
  /** mqtt.js options of the bridge's clients (publisher, set handler, Home Assistant discovery). */
  readonly bridge: IClientOptions;
  /** mqtt.js options of the dashboard's clients (state feed, iSpindel listener): they read everything. */
  readonly dashboard: IClientOptions;
  /** A connection failure as the person who wrote mqtt.url can act on it. */
  explain(err: unknown): unknown;
  close(): Promise<void>;
}

export interface LinkOptions {
  config: CobrewConfig['mqtt'];
  dataDir: string;
  bridgeId: string;
  fermenterIds: readonly string[];
  /** Who may command which fermenter through the embedded broker (an external broker applies its own ACL). */
  commands?: CommandRights;
  log: FastifyBaseLogger;
  /** The components' accounts, when startComponentAccounts began them earlier. */
  accounts?: Promise<ComponentAccounts>;
}

export async function openMqttLink(opts: LinkOptions): Promise<MqttLink> {
  if (opts.config.url !== undefined) return external(opts.config.url, opts);
  return opts.config.mosquitto.managed ? startMosquitto(opts) : startEmbedded(opts);
}

/**
 * Begins making (or checking) the accounts of cobrew's own clients, a scrypt each on libuv's thread pool,
 * so that it runs beside whatever starts before the broker; undefined for an external broker, which has none.
 * A failure is thrown where openMqttLink awaits it.
 */
export function startComponentAccounts(
  opts: Omit<LinkOptions, 'commands' | 'accounts'>,
): Promise<ComponentAccounts> | undefined {
  if (opts.config.url !== undefined) return undefined;
  const accounts = componentAccounts(opts);
  // Awaited by openMqttLink; a start that fails before the broker must not leave it unhandled.
  accounts.catch(() => {});
  return accounts;
}

/** A broker cobrew runs itself: its components log in with the accounts it made for them. */
function localLink(
  kind: 'embedded' | 'mosquitto',
  broker: { url: string; wsUrl: string | null; close(): Promise<void> },
  accounts: Awaited<ReturnType<typeof componentAccounts>>,
): MqttLink {
  return {
    kind,
    username: null,
    url: broker.url,
    wsUrl: broker.wsUrl,
    bridge: { ...accounts.bridge },
    dashboard: { ...accounts.dashboard },
    explain: (err) => err,
    close: () => broker.close(),
  };
}

async function componentAccounts(
  opts: Omit<LinkOptions, 'commands' | 'accounts'>,
): Promise<ComponentAccounts> {
  const accounts = await ensureComponentAccounts({
    dataDir: opts.dataDir,
    bridgeId: opts.bridgeId,
    fermenters: opts.fermenterIds,
  });
  if (accounts.created.length > 0) {
    opts.log.info(
      { users: accounts.created, file: usersFile(opts.dataDir) },
      'created the MQTT accounts of the bridge and the dashboard',
    );
  }
  return accounts;
}

/** Mosquitto as the broker, with cobrew's users and roles; its ACL stands in for the batches' command rights. */
async function startMosquitto(opts: LinkOptions): Promise<MqttLink> {
  const { config: mqtt } = opts;
  const accounts = await (opts.accounts ?? componentAccounts(opts));
  const { startManagedMosquitto } = await import('../broker/mosquitto-managed.js');
  const broker = await startManagedMosquitto({
    dataDir: opts.dataDir,
    binary: mqtt.mosquitto.binary,
    host: mqtt.host,
    port: mqtt.port,
    wsPort: mqtt.wsPort,
    baseTopic: mqtt.baseTopic,
    anonymous: mqtt.anonymous,
    log: opts.log.child({ part: 'mosquitto' }),
  });
  return localLink('mosquitto', broker, accounts);
}

async function startEmbedded(opts: LinkOptions): Promise<MqttLink> {
  const { config: mqtt, log } = opts;
  const accounts = await (opts.accounts ?? componentAccounts(opts));
  // Loaded only when cobrew runs its broker: a bridge on an external one never loads aedes and ws.
  const { startEmbeddedBroker } = await import('../broker/embedded.js');
  const broker = await startEmbeddedBroker({
    host: mqtt.host,
    port: mqtt.port,
    wsPort: mqtt.wsPort,
    limits: mqtt.limits,
    auth: {
      // cobrew's own clients log in with the passwords just checked, without a scrypt each.
      users: new UserDirectory(usersFile(opts.dataDir), accounts.checked),
      baseTopic: mqtt.baseTopic,
      anonymous: mqtt.anonymous,
      components: [accounts.bridge.username, accounts.dashboard.username],
      ...(opts.commands === undefined ? {} : { commands: opts.commands }),
    },
    log: log.child({ part: 'broker' }),
  });
  return localLink('embedded', broker, accounts);
}

async function external(url: string, opts: LinkOptions): Promise<MqttLink> {
  const { username, password, ca } = opts.config;
  let caPem: Buffer | undefined;
  if (ca !== undefined) {
    try {
      caPem = await readFile(ca);
    } catch (err) {
      throw new ConfigInvalidError(`mqtt.ca: cannot read ${ca}: ${(err as Error).message}`, { cause: err });
    }
  }
  // Credentials written inside the URL are moved to the options, so that the URL clients log carries none.
  const inUrl = credentialsIn(url);
  const user = username ?? inUrl.username;
  const pass = username === undefined ? inUrl.password : password;
  const account: IClientOptions = {
    ...(user === undefined ? {} : { username: user }),
    ...(pass === undefined ? {} : { password: pass }),
    ...(caPem === undefined ? {} : { ca: caPem }),
  };
  const bare = withoutCredentials(url);
  opts.log.info(
    { url: bare, username: user ?? null },
    'using the external MQTT broker of mqtt.url; no embedded broker is started',
  );
  return {
    kind: 'external',
    username: user ?? null,
    url: bare,
    wsUrl: null,
    bridge: account,
    dashboard: account,
    explain: (err) => {
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && code.startsWith('COBREW_ERR_')) return err;
      return new MqttBrokerUnreachableError(bare, (err as Error).message ?? String(err), { cause: err });
    },
    close: async () => {},
  };
}

function credentialsIn(url: string): { username?: string; password?: string } {
  const u = new URL(url);
  return {
    ...(u.username === '' ? {} : { username: decodeURIComponent(u.username) }),
    ...(u.password === '' ? {} : { password: decodeURIComponent(u.password) }),
  };
}

/** The URL without user name or password, which mqtt.js also accepts inside it. */
export function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
