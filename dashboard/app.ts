// Composes the application: broker (embedded, or the external one of mqtt.url), fleet, state publisher,
// dashboard, iSpindels. Data flows board → controller → guard → MQTT → dashboard; the dashboard learns states
// only from MQTT, like any other client.
import { hostname } from 'node:os';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type CommandHandler, type CommandTarget, startCommandHandler } from '../broker/commands.js';
import { urlHost } from '../broker/embedded.js';
import { type HomeAssistantDiscovery, startHomeAssistant } from '../broker/homeassistant.js';
import type { DiscoveredFermenter } from '../broker/homeassistant-discovery.js';
import {
  type HydrometerTarget,
  type IspindelListener,
  IspindelRouter,
  startIspindelListener,
} from '../broker/ispindel-listener.js';
import { type StatePublisher, type StateSource, startStatePublisher } from '../broker/state-publisher.js';
import { type Clock, ScaledClock } from '../firmware-bridge/clock.js';
import type { FermenterConfig } from '../firmware-bridge/config-schema.js';
import { packageVersion } from './cli/version.js';
import type { CobrewConfig } from './config/schema.js';
import { type MqttLink, openMqttLink } from './mqtt-link.js';
import { buildDashboard, listenDashboard } from './server.js';
import { type StateFeed, startStateFeed } from './state-feed.js';

/** The part of firmware-bridge/fleet.ts the application drives. */
export interface FleetLike {
  readonly fermenters: readonly (StateSource & CommandTarget & DiscoveredFermenter & HydrometerTarget)[];
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
  /** The embedded broker, or the external one of mqtt.url. */
  readonly broker: 'embedded' | 'external';
  /** The account of every cobrew client on an external broker; null with the embedded broker. */
  readonly mqttUsername: string | null;
  /** The broker's URL, without credentials. */
  readonly mqttUrl: string;
  /** MQTT over WebSocket, for browsers; null with an external broker. */
  readonly wsUrl: string | null;
  readonly bridgeId: string;
  /** Fleet first, so outputs are safe before anything else goes away; then the MQTT clients, dashboard, broker. */
  stop(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { config, log } = opts;
  const bridgeId = opts.bridgeId ?? defaultBridgeId();
  let link: MqttLink | undefined;
  let fleet: FleetLike | undefined;
  let publisher: StatePublisher | undefined;
  let commands: CommandHandler | undefined;
  let homeAssistant: HomeAssistantDiscovery | undefined;
  let feed: StateFeed | undefined;
  let ispindels: IspindelListener | undefined;
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
      ['iSpindel listener', async () => ispindels?.stop()],
      ['MQTT broker', async () => link?.close()],
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
    link = await openMqttLink({
      config: mqtt,
      dataDir: opts.dataDir,
      bridgeId,
      fermenterIds: config.fermenters.map((f) => f.id),
      log,
    });
    const { url } = link;
    const clock = new ScaledClock(config.sim.speed);
    fleet = opts.createFleet({ fermenters: config.fermenters, clock });
    fleet.start();
    publisher = await startStatePublisher({
      url,
      baseTopic: mqtt.baseTopic,
      bridgeId,
      statePeriodMs: mqtt.statePeriodMs,
      sources: fleet.fermenters,
      log: log.child({ part: 'publisher' }),
      clientOptions: { ...link.bridge },
    });
    commands = await startCommandHandler({
      url,
      baseTopic: mqtt.baseTopic,
      fermenters: fleet.fermenters,
      log: log.child({ part: 'commands' }),
      clientOptions: { ...link.bridge },
    });
    if (config.homeAssistant.enabled) {
      homeAssistant = await startHomeAssistant({
        url,
        baseTopic: mqtt.baseTopic,
        discoveryPrefix: config.homeAssistant.discoveryPrefix,
        bridgeId,
        fermenters: fleet.fermenters,
        swVersion: packageVersion(),
        log: log.child({ part: 'homeassistant' }),
        clientOptions: { ...link.bridge },
      });
    }
    feed = await startStateFeed({
      url,
      baseTopic: mqtt.baseTopic,
      log: log.child({ part: 'dashboard' }),
      clientOptions: { ...link.dashboard },
    });
    const router = new IspindelRouter(config.ispindels, fleet.fermenters, log.child({ part: 'ispindel' }));
    ispindels = await startIspindelListener({
      url,
      router,
      now: () => clock.now(),
      log: log.child({ part: 'ispindel' }),
      clientOptions: { ...link.dashboard },
    });
    http = buildDashboard({
      fermenters: config.fermenters,
      states: feed.store,
      mqttConnected: feed.connected,
      broker: { kind: link.kind, url: link.url },
      ispindels: { router, now: () => clock.now() },
      log: log.child({ part: 'http' }),
    });
    const httpPort = await listenDashboard(http, config.http.host, config.http.port);
    return {
      statusUrl: `http://${urlHost(config.http.host)}:${httpPort}/`,
      broker: link.kind,
      mqttUsername: link.username,
      mqttUrl: link.url,
      wsUrl: link.wsUrl,
      bridgeId,
      stop,
    };
  } catch (err) {
    await stop().catch(() => {});
    throw link === undefined ? err : link.explain(err);
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
