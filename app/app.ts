// Composes the application: broker (embedded, or the external one of mqtt.url), fleet, state publisher,
// dashboard, iSpindels. Data flows board → controller → guard → MQTT → dashboard; the dashboard learns states
// only from MQTT, like any other client. The hub's parts (dashboard, history, alerts, recipes) are imported
// when their service starts, so a bridge never loads their code (docs/footprint.md).
import { hostname } from 'node:os';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { HealthReport, RunningAlerts } from '../alerts/index.js';
import { type BatchHolderPublisher, startBatchHolderPublisher } from '../broker/batch-holders.js';
import { CalibrationStore } from '../broker/calibration-store.js';
import { startCommandHandler } from '../broker/commands.js';
import { DASHBOARD_USER } from '../broker/component-accounts.js';
import { startHomeAssistant } from '../broker/homeassistant.js';
import type { DiscoveredFermenter } from '../broker/homeassistant-discovery.js';
import { type HydrometerTarget, IspindelRouter, startIspindelListener } from '../broker/ispindel-listener.js';
import { type StateSource, startStatePublisher } from '../broker/state-publisher.js';
import { TiltRouter } from '../broker/tilt.js';
import { startTiltScanner } from '../broker/tilt-scanner.js';
import { urlHost } from '../broker/url-host.js';
import { type Clock, ScaledClock } from '../common/clock.js';
import { type Service, ServiceStack } from '../common/lifecycle.js';
import { packageVersion } from '../common/version.js';
import type { Accounts } from '../dashboard/accounts/index.js';
import type { CommandSender } from '../dashboard/api/command-sender.js';
import type { StateFeed } from '../dashboard/state-feed.js';
import { noBoardFailsafeLines } from '../firmware-bridge/boards/board-failsafe.js';
import { assertBoardSetup } from '../firmware-bridge/boards/check.js';
import type { BoardLogEntry } from '../firmware-bridge/boards/session.js';
import { sharedProfileProblems } from '../firmware-bridge/boards/shared-profile.js';
import type { CommandTarget } from '../firmware-bridge/commands.js';
import type { FermenterConfig } from '../firmware-bridge/config-schema.js';
import { type Journal, startJournal } from '../firmware-bridge/journal/journal.js';
import type { ControlStateStore } from '../firmware-bridge/state/control-state.js';
import type { ResumeNote } from '../firmware-bridge/state/resume.js';
import { openControlState } from '../firmware-bridge/state/sqlite-store.js';
import type { RunningHistory } from '../history/index.js';
import type { InfluxMirror } from '../history/influx/start.js';
import type { CommonsStore } from '../recipes/commons/store.js';
import type { CobrewConfig } from './config/schema.js';
import { withoutSecrets } from './config/secrets.js';
import { type MqttLink, openMqttLink, startComponentAccounts } from './mqtt-link.js';

/** The part of firmware-bridge/fleet.ts the application drives. */
export interface FleetLike {
  readonly fermenters: readonly (StateSource & CommandTarget & DiscoveredFermenter & HydrometerTarget)[];
  /** Opens real boards before the first tick; one that cannot be opened stays safe and is retried. */
  open?(): Promise<void>;
  start(): void;
  /** Control ticks so far: the service watchdog is fed only while this moves. */
  ticks?(): number;
  /** Puts every output in its safe state, then stops. */
  stop(): Promise<void>;
}
export type FleetFactory = (opts: {
  fermenters: FermenterConfig[];
  clock: Clock;
  /** Board events for the journal. */
  onBoardLog?: (entry: BoardLogEntry) => void;
  /** Where each fermenter's intent, latched trips and output times survive restarts. */
  store?: ControlStateStore;
  /** How each fermenter started (its stored intent or cobrew.yaml's), for the log and the journal. */
  onResumed?: (fermenterId: string, note: ResumeNote) => void;
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
  /** The dashboard at its root; the status page is at `status` below it. Unused by a bridge (config.role). */
  readonly dashboardUrl: string;
  /** The embedded broker, or the external one of mqtt.url. */
  readonly broker: 'embedded' | 'mosquitto' | 'external';
  /** The account of every cobrew client on an external broker; null with the embedded broker. */
  readonly mqttUsername: string | null;
  /** The broker's URL, without credentials. */
  readonly mqttUrl: string;
  /** MQTT over WebSocket, for browsers; null with an external broker. */
  readonly wsUrl: string | null;
  readonly bridgeId: string;
  /** Control ticks so far (0 for a fleet that does not count them). */
  controlTicks(): number;
  /** A health result told by its source as it happens (scheduled backups); ignored when alerts are off. */
  spaceHealth(report: HealthReport): void;
  /** Fleet first, so outputs are safe before anything else goes away; then every part in reverse order of start. */
  stop(): Promise<void>;
}

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { config, log } = opts;
  const { mqtt } = config;
  const bridgeId = opts.bridgeId ?? mqtt.bridgeId ?? defaultBridgeId();
  const stack = new ServiceStack(log);
  // Each part, once started; the services below start them in this order and the stack stops them in reverse.
  let journal!: Journal;
  let link!: MqttLink;
  let controlState!: ControlStateStore;
  // A bridge's control state gives it the origin its simulated time carries on from (below).
  let clock = new ScaledClock(config.sim.speed);
  let fleet!: FleetLike;
  let feed!: StateFeed;
  let history: RunningHistory | undefined;
  let mirror: InfluxMirror | undefined;
  let alerts: RunningAlerts | undefined;
  let router: IspindelRouter | undefined;
  let tiltRouter: TiltRouter | undefined;
  let calibrations: CalibrationStore | undefined;
  let sender!: CommandSender;
  let batchPublisher: BatchHolderPublisher | undefined;
  let accounts!: Accounts;
  let commons!: CommonsStore;
  let http!: FastifyInstance;
  let httpPort = 0;

  // A bridge runs the fermenters and speaks for them on MQTT; a hub records and shows what bridges publish.
  const runs = (part: 'bridge' | 'hub') => config.role === 'all' || config.role === part;
  const linkOptions = {
    config: mqtt,
    dataDir: opts.dataDir,
    bridgeId,
    fermenterIds: runs('bridge') ? config.fermenters.map((f) => f.id) : [],
    log,
  };
  // On the thread pool while the parts before the broker start: they are on the way to the first state.
  const mqttAccounts = startComponentAccounts(linkOptions);
  const commonsService: Service = {
    name: 'recipe commons',
    async start() {
      const { openCommonsStore } = await import('../recipes/cli/store.js');
      // The fermenters' clock, read when asked: a batch's times are those of its history, at any --speed.
      commons = openCommonsStore(config, opts.dataDir, { now: () => clock.now() }, sharedProfileProblems);
    },
    stop: async () => commons.close(),
  };
  // Apart from the commons, and after the control loop in the all-in-one: the first state need not wait for it.
  const libraryService: Service = {
    name: 'recipe library',
    async start() {
      if (!config.commons.library) return;
      const { loadLibrary } = await import('../recipes/library/load.js');
      // Idempotent: adds the library on a first start, and only new library versions after an upgrade. A
      // library that cannot load must not keep the fermenters from starting: the commons works without it.
      try {
        const added = loadLibrary(commons).versions.added;
        if (added > 0) log.info({ versions: added }, 'recipe library loaded into the commons');
      } catch (err) {
        log.error({ err }, 'the recipe library could not be loaded; the commons runs without it');
      }
    },
    stop: async () => {},
  };
  const broker: Service = {
    name: 'MQTT broker',
    async start() {
      link = await openMqttLink({
        ...linkOptions,
        ...(mqttAccounts === undefined ? {} : { accounts: mqttAccounts }),
        // The dashboard's account sends people's commands it has already checked against their batch.
        ...(runs('hub')
          ? {
              commands: {
                refusal: (account: { name: string }, fermenterId: string) =>
                  account.name === DASHBOARD_USER
                    ? null
                    : commons.batches.controlRefusal(fermenterId, { name: account.name, admin: false }),
              },
            }
          : {}),
      });
    },
    stop: () => link.close(),
  };
  const bridgeServices: Service[] = [
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
        for (const line of noBoardFailsafeLines(config.fermenters)) log.warn(line);
      },
      stop: async () => journal.stop(Date.now()),
    },
    broker,
    {
      name: 'control state',
      async start() {
        controlState = openControlState(opts.dataDir);
        // A simulation at speed carries on through restarts as wall time does.
        clock = new ScaledClock(config.sim.speed, controlState.clockOrigin(config.sim.speed, Date.now()));
      },
      stop: async () => controlState.close(),
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
          store: controlState,
          onResumed: (fermenter, note) => {
            log.info(
              { fermenter, ...note },
              `fermenter resumes from ${note.from === 'stored' ? 'its stored intent' : 'cobrew.yaml'}`,
            );
            journal.resumed(fermenter, note, clock.now());
          },
        });
        for (const f of fleet.fermenters) journal.follow(f);
        try {
          await fleet.open?.();
        } catch (err) {
          await fleet.stop();
          throw err;
        }
      },
      stop: () => fleet.stop(),
    },
    // Each connects its own MQTT client: at once, so the first state does not wait for two connections in turn.
    together(
      stopped('state publisher', () =>
        startStatePublisher({
          url: link.url,
          baseTopic: mqtt.baseTopic,
          bridgeId,
          statePeriodMs: mqtt.statePeriodMs,
          sources: fleet.fermenters,
          log: log.child({ part: 'publisher' }),
          clientOptions: { ...link.bridge },
          backlog: {
            dataDir: opts.dataDir,
            maxReadings: mqtt.backlog.maxReadings,
            maxBytes: mqtt.backlog.maxMb * 1024 * 1024,
          },
        }),
      ),
      stopped('set handler', () =>
        startCommandHandler({
          url: link.url,
          baseTopic: mqtt.baseTopic,
          fermenters: fleet.fermenters.map((f) => journal.commands(f)),
          log: log.child({ part: 'commands' }),
          clientOptions: { ...link.bridge },
          // The embedded broker checks who sends each command; on an external one the bridge does.
          batchRights: link.kind === 'external',
        }),
      ),
    ),
    {
      // Ticking starts once the publisher and the set handler listen: an outage recorded at the first tick
      // reaches MQTT and history, and commands are answered from the first tick on.
      name: 'control loop',
      start: async () => fleet.start(),
      // The fleet's own stop, safe-first, ends the ticking.
      stop: async () => {},
    },
    ...(config.homeAssistant.enabled
      ? [
          stopped('Home Assistant discovery', () =>
            startHomeAssistant({
              url: link.url,
              baseTopic: mqtt.baseTopic,
              discoveryPrefix: config.homeAssistant.discoveryPrefix,
              bridgeId,
              // Whether `auto` (a profile) can be offered: only with profile steps in the fermenter's control.
              fermenters: fleet.fermenters.map((f) => ({
                id: f.id,
                name: f.name,
                boardKind: f.boardKind,
                hasProfile: (config.fermenters.find((c) => c.id === f.id)?.control.profile.length ?? 0) > 0,
              })),
              swVersion: packageVersion(),
              log: log.child({ part: 'homeassistant' }),
              clientOptions: { ...link.bridge },
            }),
          ),
        ]
      : []),
    stopped('iSpindel listener', async () => {
      tiltRouter = new TiltRouter(config.tilts, fleet.fermenters, log.child({ part: 'tilt' }));
      router = new IspindelRouter(config.ispindels, fleet.fermenters, log.child({ part: 'ispindel' }));
      // Calibrations set from the dashboard take the place of cobrew.yaml's, across restarts.
      calibrations = await CalibrationStore.open(opts.dataDir);
      for (const h of config.ispindels) {
        const set = calibrations.ispindel(h.name);
        if (set !== undefined) router.calibrate(h.name, { points: set.points, degree: set.degree });
      }
      for (const t of config.tilts) {
        const set = calibrations.tilt(t.colour);
        if (set !== undefined) tiltRouter.setOffset(t.colour, set.gravityOffset);
      }
      return startIspindelListener({
        url: link.url,
        router,
        now: () => clock.now(),
        log: log.child({ part: 'ispindel' }),
        clientOptions: { ...link.dashboard },
      });
    }),
    ...(config.tilts.length > 0 && config.tiltBluetooth
      ? [
          // The BLE library and its native bindings load only when Tilts are to be heard directly.
          stopped('Tilt scanner', () =>
            startTiltScanner({
              router: tiltRouter as TiltRouter,
              now: () => clock.now(),
              log: log.child({ part: 'tilt' }),
            }),
          ),
        ]
      : []),
    ...(config.brewfather === undefined
      ? []
      : [
          stopped('Brewfather push', async () =>
            (await import('../history/brewfather/start.js')).startBrewfatherPush({
              settings: config.brewfather as NonNullable<CobrewConfig['brewfather']>,
              dataDir: opts.dataDir,
              fermenters: fleet.fermenters,
              log: log.child({ part: 'brewfather' }),
            }),
          ),
        ]),
  ];
  const hubServices: Service[] = [
    libraryService,
    {
      name: 'dashboard MQTT feed',
      async start() {
        const { startStateFeed } = await import('../dashboard/state-feed.js');
        feed = await startStateFeed({
          url: link.url,
          baseTopic: mqtt.baseTopic,
          clock,
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
              const { startHistory } = await import('../history/index.js');
              mirror =
                config.influx === undefined
                  ? undefined
                  : (await import('../history/influx/start.js')).startInfluxMirror({
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
                  clock,
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
    {
      name: 'dashboard commands',
      async start() {
        const { startCommandSender } = await import('../dashboard/api/command-sender.js');
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
      name: 'batch holders',
      async start() {
        // For the bridges' rights check on an external broker (broker/batch-holders.ts).
        if (link.kind !== 'external') return;
        batchPublisher = await startBatchHolderPublisher({
          url: link.url,
          baseTopic: mqtt.baseTopic,
          holders: () => commons.batches.holders(),
          log: log.child({ part: 'batches' }),
          clientOptions: { ...link.dashboard },
        });
      },
      stop: async () => batchPublisher?.stop(),
    },
    {
      name: 'dashboard accounts',
      async start() {
        const { openAccounts } = await import('../dashboard/accounts/index.js');
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
              const [{ startAlerts }, { alertsWiring }] = await Promise.all([
                import('../alerts/index.js'),
                import('./alerts-wiring.js'),
              ]);
              alerts = await startAlerts(
                alertsWiring(
                  {
                    config,
                    dataDir: opts.dataDir,
                    url: link.url,
                    clock,
                    accounts,
                    commons,
                    history,
                    mirror,
                    log,
                  },
                  { ...link.dashboard, clientId: `cobrew-alrt-${bridgeId}`.slice(0, 23) },
                ),
              );
            },
            stop: async () => alerts?.close(),
          } satisfies Service,
        ]
      : []),
    {
      name: 'dashboard',
      async start() {
        calibrations ??= await CalibrationStore.open(opts.dataDir);
        const ispindelRouter = router ?? new IspindelRouter([], []);
        const tilts = tiltRouter ?? new TiltRouter([], [], log.child({ part: 'tilt' }));
        const { buildDashboard, builtWebRoot, listenDashboard } = await import('../dashboard/server.js');
        http = buildDashboard({
          fermenters: config.fermenters,
          states: feed.store,
          feed,
          mqttConnected: feed.connected,
          broker: { kind: link.kind, url: link.url },
          // A hub runs no fermenter: its hydrometer posts are refused as unmapped; they go to a bridge by MQTT.
          ispindels: { router: ispindelRouter, now: () => clock.now() },
          calibrations: { store: calibrations, ispindels: ispindelRouter, tilts, now: () => Date.now() },
          tilts: {
            router: tilts,
            now: () => clock.now(),
            mappingOf: (colour) => config.tilts.find((t) => t.colour === colour),
          },
          accounts,
          // With an external broker, a command right after a batch started or ended must meet the bridge's
          // new rights: the batches go out first.
          commands:
            batchPublisher === undefined
              ? sender
              : {
                  send: async (id, command) => {
                    await batchPublisher?.sync();
                    return sender.send(id, command);
                  },
                  close: () => sender.close(),
                },
          commons,
          ...(history === undefined ? {} : { history: history.queries }),
          ...(alerts === undefined
            ? {}
            : {
                alerts: {
                  router: alerts.router,
                  store: alerts.store,
                  now: () => clock.now(),
                  people: () => accounts.users.list().map((u) => u.name),
                },
              }),
          http: {
            trustProxy: config.http.trustProxy,
            secureCookies: config.http.secureCookies,
            allowedHosts: config.http.allowedHosts,
            publicStatus: config.http.publicStatus,
          },
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

  const services = [
    ...(runs('hub') ? [commonsService] : []),
    ...(runs('bridge') ? bridgeServices : [broker]),
    ...(runs('hub') ? hubServices : []),
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
    controlTicks: () => fleet.ticks?.() ?? 0,
    spaceHealth: (report) => alerts?.health(report),
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

/**
 * Parts started side by side and stopped in reverse order; if one fails to start, those that did are stopped
 * and the first failure is thrown.
 */
function together(...parts: Service[]): Service {
  return {
    name: parts.map((p) => p.name).join(' and '),
    async start() {
      const started = await Promise.allSettled(parts.map((p) => p.start()));
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed === undefined) return;
      for (const [i, r] of [...started.entries()].reverse())
        if (r.status === 'fulfilled') await (parts[i] as Service).stop().catch(() => {});
      throw failed.reason;
    },
    async stop() {
      let failure: unknown;
      for (const p of [...parts].reverse()) {
        try {
          await p.stop();
        } catch (err) {
          failure ??= err;
        }
      }
      if (failure !== undefined) throw failure;
    },
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
