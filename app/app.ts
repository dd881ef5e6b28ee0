// Composes the application: broker (embedded, or the external one of mqtt.url), fleet, state publisher,
// dashboard, iSpindels. Data flows board → controller → guard → MQTT → dashboard; the dashboard learns states
// only from MQTT, like any other client.
import { hostname } from 'node:os';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type CommandHandler, startCommandHandler } from '../broker/commands.js';
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
import { type Clock, ScaledClock } from '../common/clock.js';
import { packageVersion } from '../common/version.js';
import { type Accounts, openAccounts } from '../dashboard/accounts/index.js';
import { type CommandSender, startCommandSender } from '../dashboard/api/command-sender.js';
import { buildDashboard, builtWebRoot, listenDashboard } from '../dashboard/server.js';
import { type StateFeed, startStateFeed } from '../dashboard/state-feed.js';
import { assertBoardSetup } from '../firmware-bridge/boards/check.js';
import type { BoardLogEntry } from '../firmware-bridge/boards/session.js';
import type { CommandTarget } from '../firmware-bridge/commands.js';
import type { FermenterConfig } from '../firmware-bridge/config-schema.js';
import { type Journal, startJournal } from '../firmware-bridge/journal/journal.js';
import { type RunningHistory, startHistory } from '../history/index.js';
import { startInfluxMirror } from '../history/influx/start.js';
import { openCommonsStore } from '../recipes/cli/store.js';
import type { CommonsStore } from '../recipes/commons/store.js';
import { loadLibrary } from '../recipes/library/load.js';
import type { CobrewConfig } from './config/schema.js';
import { withoutSecrets } from './config/secrets.js';
import { type MqttLink, openMqttLink } from './mqtt-link.js';

/** The part of firmware-bridge/fleet.ts the application drives. */
export interface FleetLike {
  readonly fermenters: readonly (StateSource & CommandTarget & DiscoveredFermenter & HydrometerTarget)[];
  /** Opens real boards before the first tick; one that cannot be opened stays safe and is retried. */
  open?(): Promise<void>;
  start(): void;
  /** Puts every output in its safe state, then stops. */
  stop(): Promise<void>;
}
export type FleetFactory = (opts: {
  fermenters: FermenterConfig[];
  clock: Clock;
  /** Board events for the journal. */
  onBoardLog?: (entry: BoardLogEntry) => void;
}) => FleetLike;

export interface AppOptions {
  config: CobrewConfig;
  log: FastifyBaseLogger;
  createFleet: FleetFactory;
  /** Where the MQTT users and the passwords of cobrew's own components are kept. */
  dataDir: string;
  /** Names this process on MQTT, and its bridge's MQTT user; derived from the host name by default. */
  bridgeId?: string;
  /** scrypt cost of dashboard passwords made in-process; tests lower it. */
  passwordCost?: { N: number; r: number; p: number };
  /** How long POST /api/fermenters/:id/set waits for the bridge's answer. */
  commandTimeoutMs?: number;
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
  let journal: Journal | undefined;
  let publisher: StatePublisher | undefined;
  let commands: CommandHandler | undefined;
  let homeAssistant: HomeAssistantDiscovery | undefined;
  let feed: StateFeed | undefined;
  let history: RunningHistory | undefined;
  let ispindels: IspindelListener | undefined;
  let accounts: Accounts | undefined;
  let sender: CommandSender | undefined;
  let commons: CommonsStore | undefined;
  let http: FastifyInstance | undefined;

  let stopping: Promise<void> | undefined;
  const stopAll = async () => {
    const steps: Array<[string, () => Promise<void>]> = [
      ['fleet', async () => fleet?.stop()],
      ['journal', async () => journal?.stop(Date.now())],
      ['set handler', async () => commands?.stop()],
      ['Home Assistant discovery', async () => homeAssistant?.stop()],
      ['state publisher', async () => publisher?.stop()],
      ['dashboard', async () => void (await http?.close())],
      ['history recorder', async () => history?.close()],
      ['recipe commons', async () => commons?.close()],
      ['dashboard commands', async () => sender?.close()],
      ['dashboard accounts', async () => accounts?.close()],
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
    // The black box first, so a refused start is on record too; nothing is opened for a board it would burn.
    journal = startJournal({
      dataDir: opts.dataDir,
      config: withoutSecrets(config),
      version: packageVersion(),
      at: Date.now(),
    });
    try {
      assertBoardSetup(config.fermenters, { speed: config.sim.speed });
    } catch (err) {
      journal.refused(err, Date.now());
      throw err;
    }
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
    const black = journal;
    fleet = opts.createFleet({ fermenters: config.fermenters, clock, onBoardLog: (e) => black.board(e) });
    for (const f of fleet.fermenters) black.follow(f);
    await fleet.open?.();
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
      fermenters: fleet.fermenters.map((f) => black.commands(f)),
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
      clock,
      log: log.child({ part: 'dashboard' }),
      clientOptions: { ...link.dashboard },
    });
    if (config.history.enabled) {
      const mirror =
        config.influx === undefined
          ? undefined
          : startInfluxMirror({
              settings: config.influx,
              dataDir: opts.dataDir,
              log: log.child({ part: 'influx' }),
            });
      try {
        history = await startHistory({
          settings: config.history,
          dataDir: opts.dataDir,
          url,
          baseTopic: mqtt.baseTopic,
          // A stable client id: the broker keeps the recorder's QoS 1 incidents while it reconnects.
          clientOptions: { ...link.dashboard, clientId: `cobrew-hist-${bridgeId}`.slice(0, 23) },
          ...(mirror === undefined ? {} : { mirror }),
          log: log.child({ part: 'history' }),
          clock,
        });
      } catch (err) {
        // The running history closes its mirror; one that never started must not leave the mirror's thread.
        await mirror?.close();
        throw err;
      }
    }
    const router = new IspindelRouter(config.ispindels, fleet.fermenters, log.child({ part: 'ispindel' }));
    ispindels = await startIspindelListener({
      url,
      router,
      now: () => clock.now(),
      log: log.child({ part: 'ispindel' }),
      clientOptions: { ...link.dashboard },
    });
    sender = await startCommandSender({
      url,
      baseTopic: mqtt.baseTopic,
      log: log.child({ part: 'dashboard' }),
      clientOptions: { ...link.dashboard },
      timeoutMs: opts.commandTimeoutMs,
    });
    accounts = openAccounts({ dataDir: opts.dataDir, cost: opts.passwordCost });
    if (accounts.users.count() === 0) {
      log.warn(
        { dataDir: opts.dataDir },
        'no dashboard user yet: create the first admin with `cobrew user add <name> --role admin`',
      );
    }
    commons = openCommonsStore(config, opts.dataDir);
    if (config.commons.library) {
      // Idempotent: adds the library on a first start, and only new library versions after an upgrade. A
      // library that cannot load must not keep the fermenters from starting: the commons works without it.
      try {
        const added = loadLibrary(commons).versions.added;
        if (added > 0) log.info({ versions: added }, 'recipe library loaded into the commons');
      } catch (err) {
        log.error({ err }, 'the recipe library could not be loaded; the commons runs without it');
      }
    }
    http = buildDashboard({
      fermenters: config.fermenters,
      states: feed.store,
      feed,
      mqttConnected: feed.connected,
      broker: { kind: link.kind, url: link.url },
      ispindels: { router, now: () => clock.now() },
      accounts,
      commands: sender,
      commons,
      ...(history === undefined ? {} : { history: history.queries }),
      http: {
        trustProxy: config.http.trustProxy,
        secureCookies: config.http.secureCookies,
        allowedHosts: config.http.allowedHosts,
        publicStatus: config.http.publicStatus,
      },
      webRoot: builtWebRoot(),
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
