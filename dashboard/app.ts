// Composes the application: broker, fleet, state publisher, dashboard. Data flows board → controller →
// guard → MQTT → dashboard; the dashboard learns states only from MQTT, like any other client.
import { hostname } from 'node:os';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type CommandHandler, type CommandTarget, startCommandHandler } from '../broker/commands.js';
import { ensureComponentAccounts } from '../broker/component-accounts.js';
import { UserDirectory, usersFile } from '../broker/credentials.js';
import { type EmbeddedBroker, startEmbeddedBroker, urlHost } from '../broker/embedded.js';
import { type HomeAssistantDiscovery, startHomeAssistant } from '../broker/homeassistant.js';
import type { DiscoveredFermenter } from '../broker/homeassistant-discovery.js';
import { type StatePublisher, type StateSource, startStatePublisher } from '../broker/state-publisher.js';
import { type Clock, ScaledClock } from '../firmware-bridge/clock.js';
import type { FermenterConfig } from '../firmware-bridge/config-schema.js';
import { packageVersion } from './cli/version.js';
import type { CobrewConfig } from './config/schema.js';
import { buildDashboard, listenDashboard } from './server.js';
import { type StateFeed, startStateFeed } from './state-feed.js';

/** The part of firmware-bridge/fleet.ts the application drives. */
export interface FleetLike {
  readonly fermenters: readonly (StateSource & CommandTarget & DiscoveredFermenter)[];
  start(): void;
  /** Puts every output in its safe state, then stops. */
  stop(): Promise<void>;
}
export type FleetFactory = (opts: { fermenters: FermenterConfig[]; clock: Clock }) => FleetLike;

export interface AppOptions {
  config: CobrewConfig;
  log: FastifyBaseLogger;
  createFleet: FleetFactory;
  /** Where the MQTT users and the passwords of cobrew's own components are kept. */
  dataDir: string;
  /** Names this process on MQTT, and its bridge's MQTT user; derived from the host name by default. */
  bridgeId?: string;
}

export interface RunningApp {
  readonly statusUrl: string;
  readonly mqttUrl: string;
  /** MQTT over WebSocket, for browsers. */
  readonly wsUrl: string | null;
  readonly bridgeId: string;
  /** Fleet first, so outputs are safe before anything else goes away; then publisher, dashboard, broker. */
  stop(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { config, log } = opts;
  const bridgeId = opts.bridgeId ?? defaultBridgeId();
  let broker: EmbeddedBroker | undefined;
  let fleet: FleetLike | undefined;
  let publisher: StatePublisher | undefined;
  let commands: CommandHandler | undefined;
  let homeAssistant: HomeAssistantDiscovery | undefined;
  let feed: StateFeed | undefined;
  let http: FastifyInstance | undefined;

  let stopping: Promise<void> | undefined;
  const stopAll = async () => {
    const steps: Array<[string, () => Promise<void>]> = [
      ['fleet', async () => fleet?.stop()],
      ['set handler', async () => commands?.stop()],
      ['Home Assistant discovery', async () => homeAssistant?.stop()],
      ['state publisher', async () => publisher?.stop()],
      ['dashboard', async () => void (await http?.close())],
      ['dashboard MQTT feed', async () => feed?.close()],
      ['MQTT broker', async () => broker?.close()],
    ];
    let failure: unknown;
    for (const [what, step] of steps) {
      try {
        await step();
      } catch (err) {
        log.error({ err }, `stopping the ${what} failed`);
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  };
  const stop = () => {
    stopping ??= stopAll();
    return stopping;
  };

  try {
    const { mqtt } = config;
    const accounts = await ensureComponentAccounts({
      dataDir: opts.dataDir,
      bridgeId,
      fermenters: config.fermenters.map((f) => f.id),
    });
    if (accounts.created.length > 0) {
      log.info(
        { users: accounts.created, file: usersFile(opts.dataDir) },
        'created the MQTT accounts of the bridge and the dashboard',
      );
    }
    broker = await startEmbeddedBroker({
      host: mqtt.host,
      port: mqtt.port,
      wsPort: mqtt.wsPort,
      limits: mqtt.limits,
      auth: {
        users: new UserDirectory(usersFile(opts.dataDir)),
        baseTopic: mqtt.baseTopic,
        anonymous: mqtt.anonymous,
      },
      log: log.child({ part: 'broker' }),
    });
    fleet = opts.createFleet({ fermenters: config.fermenters, clock: new ScaledClock(config.sim.speed) });
    fleet.start();
    publisher = await startStatePublisher({
      url: broker.url,
      baseTopic: config.mqtt.baseTopic,
      bridgeId,
      statePeriodMs: config.mqtt.statePeriodMs,
      sources: fleet.fermenters,
      log: log.child({ part: 'publisher' }),
      clientOptions: { ...accounts.bridge },
    });
    commands = await startCommandHandler({
      url: broker.url,
      baseTopic: mqtt.baseTopic,
      fermenters: fleet.fermenters,
      log: log.child({ part: 'commands' }),
      clientOptions: { ...accounts.bridge },
    });
    if (config.homeAssistant.enabled) {
      homeAssistant = await startHomeAssistant({
        url: broker.url,
        baseTopic: mqtt.baseTopic,
        discoveryPrefix: config.homeAssistant.discoveryPrefix,
        bridgeId,
        fermenters: fleet.fermenters,
        swVersion: packageVersion(),
        log: log.child({ part: 'homeassistant' }),
        clientOptions: { ...accounts.bridge },
      });
    }
    feed = await startStateFeed({
      url: broker.url,
      baseTopic: config.mqtt.baseTopic,
      log: log.child({ part: 'dashboard' }),
      clientOptions: { ...accounts.dashboard },
    });
    http = buildDashboard({
      fermenters: config.fermenters,
      states: feed.store,
      mqttConnected: feed.connected,
      log: log.child({ part: 'http' }),
    });
    const httpPort = await listenDashboard(http, config.http.host, config.http.port);
    return {
      statusUrl: `http://${urlHost(config.http.host)}:${httpPort}/`,
      mqttUrl: broker.url,
      wsUrl: broker.wsUrl,
      bridgeId,
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** A topic-safe name for this machine, so that several bridges can share one broker. */
function defaultBridgeId(): string {
  return (
    hostname()
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32) || 'cobrew'
  );
}
