// Composes the application: broker (embedded, or the external one of mqtt.url), fleet, state publisher,
// dashboard, iSpindels. Data flows board → controller → guard → MQTT → dashboard; the dashboard learns states
// only from MQTT, like any other client.
import { hostname } from 'node:os';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { type RunningAlerts, startAlerts } from '../alerts/index.js';
import { startCommandHandler } from '../broker/commands.js';
import { urlHost } from '../broker/embedded.js';
import { startHomeAssistant } from '../broker/homeassistant.js';
import type { DiscoveredFermenter } from '../broker/homeassistant-discovery.js';
import { type HydrometerTarget, IspindelRouter, startIspindelListener } from '../broker/ispindel-listener.js';
import { type StateSource, startStatePublisher } from '../broker/state-publisher.js';
import { type Clock, ScaledClock } from '../common/clock.js';
import { type Service, ServiceStack } from '../common/lifecycle.js';
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
import { type InfluxMirror, startInfluxMirror } from '../history/influx/start.js';
import { openCommonsStore } from '../recipes/cli/store.js';
import type { CommonsStore } from '../recipes/commons/store.js';
import { loadLibrary } from '../recipes/library/load.js';
import { alertsWiring } from './alerts-wiring.js';
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
  /** The dashboard at its root; the status page is at `status` below it. */
  readonly dashboardUrl: string;
  /** The embedded broker, or the external one of mqtt.url. */
  readonly broker: 'embedded' | 'external';
  /** The account of every cobrew client on an external broker; null with the embedded broker. */
  readonly mqttUsername: string | null;
  /** The broker's URL, without credentials. */
  readonly mqttUrl: string;
  /** MQTT over WebSocket, for browsers; null with an external broker. */
  readonly wsUrl: string | null;
  readonly bridgeId: string;
  /** Fleet first, so outputs are safe before anything else goes away; then every part in reverse order of start. */
  stop(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { config, log } = opts;
  const { mqtt } = config;
  const bridgeId = opts.bridgeId ?? defaultBridgeId();
  const stack = new ServiceStack(log);
  const clock = new ScaledClock(config.sim.speed);
  // Each part, once started; the services below start them in this order and the stack stops them in reverse.
  let journal!: Journal;
  let link!: MqttLink;
  let fleet!: FleetLike;
  let feed!: StateFeed;
  let history: RunningHistory | undefined;
  let mirror: InfluxMirror | undefined;
  let alerts: RunningAlerts | undefined;
  let router!: IspindelRouter;
  let sender!: CommandSender;
  let accounts!: Accounts;
  let commons!: CommonsStore;
  let http!: FastifyInstance;
  let httpPort = 0;

  const services: Service[] = [
    {
      // The black box first, so a refused start is on record too; nothing is opened for a board it would burn.
      name: 'journal',
      async start() {
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
          journal.stop(Date.now());
          throw err;
        }
      },
      stop: async () => journal.stop(Date.now()),
    },
    {
      name: 'MQTT broker',
      async start() {
        link = await openMqttLink({
          config: mqtt,
          dataDir: opts.dataDir,
          bridgeId,
          fermenterIds: config.fermenters.map((f) => f.id),
          log,
        });
      },
      stop: () => link.close(),
    },
    {
      name: 'fleet',
      // Outputs off before anything else goes away.
      safeFirst: true,
      async start() {
        fleet = opts.createFleet({
          fermenters: config.fermenters,
          clock,
          onBoardLog: (e) => {
            journal.board(e);
            alerts?.boardLog(e);
          },
        });
        for (const f of fleet.fermenters) journal.follow(f);
        try {
          await fleet.open?.();
          fleet.start();
        } catch (err) {
          await fleet.stop();
          throw err;
        }
      },
      stop: () => fleet.stop(),
    },
    stopped('state publisher', () =>
      startStatePublisher({
        url: link.url,
        baseTopic: mqtt.baseTopic,
        bridgeId,
        statePeriodMs: mqtt.statePeriodMs,
        sources: fleet.fermenters,
        log: log.child({ part: 'publisher' }),
        clientOptions: { ...link.bridge },
      }),
    ),
    stopped('set handler', () =>
      startCommandHandler({
        url: link.url,
        baseTopic: mqtt.baseTopic,
        fermenters: fleet.fermenters.map((f) => journal.commands(f)),
        log: log.child({ part: 'commands' }),
        clientOptions: { ...link.bridge },
      }),
    ),
    ...(config.homeAssistant.enabled
      ? [
          stopped('Home Assistant discovery', () =>
            startHomeAssistant({
              url: link.url,
              baseTopic: mqtt.baseTopic,
              discoveryPrefix: config.homeAssistant.discoveryPrefix,
              bridgeId,
              fermenters: fleet.fermenters,
              swVersion: packageVersion(),
              log: log.child({ part: 'homeassistant' }),
              clientOptions: { ...link.bridge },
            }),
          ),
        ]
      : []),
    {
      name: 'dashboard MQTT feed',
      async start() {
        feed = await startStateFeed({
          url: link.url,
          baseTopic: mqtt.baseTopic,
          log: log.child({ part: 'dashboard' }),
          clientOptions: { ...link.dashboard },
        });
      },
      stop: () => feed.close(),
    },
    ...(config.history.enabled
      ? [
          {
            name: 'history recorder',
            async start() {
              mirror =
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
                  url: link.url,
                  baseTopic: mqtt.baseTopic,
                  // A stable client id: the broker keeps the recorder's QoS 1 incidents while it reconnects.
                  clientOptions: { ...link.dashboard, clientId: `cobrew-hist-${bridgeId}`.slice(0, 23) },
                  ...(mirror === undefined ? {} : { mirror }),
                  log: log.child({ part: 'history' }),
                });
              } catch (err) {
                // The running history closes its mirror; one that never started must not leave its thread.
                await mirror?.close();
                throw err;
              }
            },
            stop: async () => history?.close(),
          } satisfies Service,
        ]
      : []),
    stopped('iSpindel listener', () => {
      router = new IspindelRouter(config.ispindels, fleet.fermenters, log.child({ part: 'ispindel' }));
      return startIspindelListener({
        url: link.url,
        router,
        now: () => clock.now(),
        log: log.child({ part: 'ispindel' }),
        clientOptions: { ...link.dashboard },
      });
    }),
    {
      name: 'dashboard commands',
      async start() {
        sender = await startCommandSender({
          url: link.url,
          baseTopic: mqtt.baseTopic,
          log: log.child({ part: 'dashboard' }),
          clientOptions: { ...link.dashboard },
          timeoutMs: opts.commandTimeoutMs,
        });
      },
      stop: () => sender.close(),
    },
    {
      name: 'dashboard accounts',
      async start() {
        accounts = openAccounts({ dataDir: opts.dataDir, cost: opts.passwordCost });
        if (accounts.users.count() === 0) {
          log.warn(
            { dataDir: opts.dataDir },
            'no dashboard user yet: create the first admin with `cobrew user add <name> --role admin`',
          );
        }
      },
      stop: async () => accounts.close(),
    },
    ...(config.alerts.enabled
      ? [
          {
            name: 'alerts',
            async start() {
              alerts = await startAlerts(
                alertsWiring(
                  { config, dataDir: opts.dataDir, url: link.url, clock, accounts, history, mirror, log },
                  {
                    ...link.dashboard,
                    clientId: `cobrew-alrt-${bridgeId}`.slice(0, 23),
                  },
                ),
              );
            },
            stop: async () => alerts?.close(),
          } satisfies Service,
        ]
      : []),
    {
      name: 'recipe commons',
      async start() {
        commons = openCommonsStore(config, opts.dataDir);
        if (!config.commons.library) return;
        // Idempotent: adds the library on a first start, and only new library versions after an upgrade. A
        // library that cannot load must not keep the fermenters from starting: the commons works without it.
        try {
          const added = loadLibrary(commons).versions.added;
          if (added > 0) log.info({ versions: added }, 'recipe library loaded into the commons');
        } catch (err) {
          log.error({ err }, 'the recipe library could not be loaded; the commons runs without it');
        }
      },
      stop: async () => commons.close(),
    },
    {
      name: 'dashboard',
      async start() {
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
          ...(alerts === undefined
            ? {}
            : { alerts: { router: alerts.router, store: alerts.store, now: () => clock.now() } }),
          http: { trustProxy: config.http.trustProxy, secureCookies: config.http.secureCookies },
          webRoot: builtWebRoot(),
          log: log.child({ part: 'http' }),
        });
        try {
          httpPort = await listenDashboard(http, config.http.host, config.http.port);
        } catch (err) {
          await http.close();
          throw err;
        }
      },
      stop: async () => void (await http.close()),
    },
  ];

  try {
    for (const service of services) await stack.start(service);
  } catch (err) {
    await stack.stop().catch(() => {});
    throw stack.started.includes('MQTT broker') ? link.explain(err) : err;
  }
  return {
    dashboardUrl: `http://${urlHost(config.http.host)}:${httpPort}/`,
    broker: link.kind,
    mqttUsername: link.username,
    mqttUrl: link.url,
    wsUrl: link.wsUrl,
    bridgeId,
    stop: () => stack.stop(),
  };
}

/** A part whose start function hands back something to stop. */
function stopped(name: string, start: () => Promise<{ stop(): Promise<void> }>): Service {
  let running: { stop(): Promise<void> } | undefined;
  return {
    name,
    async start() {
      running = await start();
    },
    stop: async () => running?.stop(),
  };
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
