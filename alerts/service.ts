// The alerts service: an MQTT client like any other (states, incidents, availability), the rules, the
// router and the dispatcher, the health checks, and a timer for what time alone raises (silence,
// escalation, resolution). `tick()` is public so an accelerated run can drive it.
import type { IClientOptions, MqttClient } from 'mqtt';
import { AvailabilitySchema } from '../broker/availability-schema.js';
import { connected, createClient } from '../broker/client.js';
import { IncidentSchema } from '../broker/incident-schema.js';
import type { BrokerLog } from '../broker/log.js';
import { FermenterStateSchema } from '../broker/state-schema.js';
import { topicsFor } from '../broker/topics.js';
import type { Clock } from '../common/clock.js';
import { schemaChecker } from '../common/schema-check.js';
import type { BoardLogEntry } from '../firmware-bridge/boards/session.js';
import { boardEventOf } from './board-events.js';
import type { Channel } from './channels/channel.js';
import { emailChannel } from './channels/email.js';
import { ntfyChannel } from './channels/ntfy.js';
import { telegramChannel } from './channels/telegram.js';
import { webhookChannel } from './channels/webhook.js';
import type { AlertsSettings } from './config-schema.js';
import { Dispatcher } from './dispatcher.js';
import type { HealthProbe, HealthReport } from './health.js';
import type { ChannelKind, Transition } from './model.js';
import { type AckAudit, AlertRouter, type OwnerDirectory, type PeopleDirectory } from './router.js';
import { RuleEngine } from './rules.js';
import { AlertStore } from './store.js';

const checkState = schemaChecker(FermenterStateSchema, 'the state payload');
const checkIncident = schemaChecker(IncidentSchema, 'the incident payload');
const checkAvailability = schemaChecker(AvailabilitySchema, 'the availability payload');

export interface AlertsOptions {
  settings: AlertsSettings;
  dataDir: string;
  url: string;
  baseTopic: string;
  clientOptions: IClientOptions;
  clock: Clock;
  owners: OwnerDirectory;
  people: PeopleDirectory;
  audit?: AckAudit;
  health?: HealthProbe[];
  log: BrokerLog;
  /** Wall ms between ticks; 1000 by default. 0: only explicit tick() calls (accelerated tests). */
  tickMs?: number;
  /** Replaces the channels built from the settings (tests point them at local servers the same way). */
  channels?: Partial<Record<ChannelKind, Channel>>;
  /** How often the queue is looked at when nothing nudges it; by default at each tick, or 250 ms without ticks. */
  pollMs?: number;
}

export interface RunningAlerts {
  readonly store: AlertStore;
  readonly router: AlertRouter;
  readonly dispatcher: Dispatcher;
  /** Time-driven rules, escalation and resolution, then the health checks when due. */
  tick(): Promise<void>;
  /** What a real board did, told in-process by the fleet: resets and failsafes raise alerts. */
  boardLog(entry: BoardLogEntry): void;
  /** A health result its source tells as it happens (a scheduled backup), rather than being probed. */
  health(report: HealthReport): void;
  close(): Promise<void>;
}

export function settingsChannels(s: AlertsSettings): Partial<Record<ChannelKind, Channel>> {
  return {
    ntfy: ntfyChannel(s.timeoutMs),
    webhook: webhookChannel(s.timeoutMs),
    ...(s.email === undefined ? {} : { email: emailChannel(s.email, s.timeoutMs) }),
    ...(s.telegram === undefined ? {} : { telegram: telegramChannel(s.telegram, s.timeoutMs) }),
  };
}

export async function startAlerts(opts: AlertsOptions): Promise<RunningAlerts> {
  const { settings, clock, log } = opts;
  const tickMs = opts.tickMs ?? 1000;
  // Retries and deliveries queued by another process are found at the next tick: no timer of its own.
  const nudgeOnTick = opts.pollMs === undefined && tickMs > 0;
  const store = new AlertStore(opts.dataDir);
  const engine = new RuleEngine(settings.rules, clock);
  let dispatcher!: Dispatcher;
  const router = new AlertRouter({
    settings,
    store,
    clock,
    owners: opts.owners,
    people: opts.people,
    ...(opts.audit === undefined ? {} : { audit: opts.audit }),
    onQueued: () => dispatcher.nudge(),
  });
  dispatcher = new Dispatcher({
    store,
    contactOf: (user) => router.contactOf(user),
    channels: opts.channels ?? settingsChannels(settings),
    clock,
    perChannelPerHour: settings.perChannelPerHour,
    maxAttempts: settings.maxAttempts,
    leaseMs: 2 * settings.timeoutMs + 5000,
    pollMs: nudgeOnTick ? null : opts.pollMs,
    onGaveUp: (d, error) => {
      if (d.purpose !== 'test') router.channelFailed(d.user, d.channel, error);
    },
    onSent: (d) => router.channelWorked(d.user, d.channel),
    log,
  });
  // Open alerts from before a restart: the rules notice their end instead of raising them again.
  engine.restore(
    store
      .liveAlerts()
      .filter((a) => a.status === 'open' && a.kind !== 'channel-failing')
      .map((a) => ({
        key: a.key,
        kind: a.kind,
        severity: a.severity,
        fermenterId: a.fermenterId,
        facts: a.facts,
        at: a.raisedAt,
        notifyResolved: a.notifyResolved,
      })),
  );
  const apply = (t: Transition[]) => router.apply(t);
  const topics = topicsFor(opts.baseTopic);
  let client: MqttClient | undefined;
  try {
    client = createClient(opts.url, 'alrt', { clean: false, ...opts.clientOptions });
    client.on('message', (topic, payload) => {
      try {
        onMessage(topic, payload);
      } catch (err) {
        log.warn({ topic, err }, 'alerts: dropped an invalid message');
      }
    });
    client.on('error', (err) => log.warn({ err, url: opts.url }, 'alerts: MQTT error'));
    await connected(client);
    await client.subscribeAsync({
      [topics.allFermenterStates]: { qos: 0 },
      [topics.fermenterIncident('+')]: { qos: 1 },
      [topics.allFermenterAvailability]: { qos: 1 },
    });
  } catch (err) {
    await client?.endAsync(true);
    store.close();
    throw err;
  }

  function onMessage(topic: string, payload: Buffer): void {
    if (payload.length === 0) return;
    const stateId = topics.stateTopicId(topic);
    if (stateId !== null) {
      const state = checkState(JSON.parse(payload.toString('utf8')));
      if (state.id === stateId) apply(engine.onState(state));
      return;
    }
    const availabilityId = topics.availabilityTopicId(topic);
    if (availabilityId !== null) {
      apply(engine.onAvailability(availabilityId, checkAvailability(payload.toString('utf8')) === 'online'));
      return;
    }
    const incident = checkIncident(JSON.parse(payload.toString('utf8')));
    if (topic === topics.fermenterIncident(incident.fermenterId)) apply(engine.onIncident(incident));
  }

  let nextHealthAt = 0;
  let checking = false;
  const tick = async () => {
    apply(engine.tick());
    router.tick();
    const now = clock.now();
    if (!settings.rules.space.enabled || checking || now < nextHealthAt) return;
    nextHealthAt = now + settings.rules.space.checkEveryS * 1000;
    checking = true;
    try {
      for (const probe of opts.health ?? []) {
        const r = await probe().catch((err: Error) => {
          log.warn({ err }, 'alerts: a health check could not run');
          return null;
        });
        if (r !== null) apply(engine.onHealth(r.check, r.failing, r.detail));
      }
    } finally {
      checking = false;
    }
  };
  dispatcher.start();
  const timer =
    tickMs > 0
      ? setInterval(() => {
          void tick().catch((err) => log.warn({ err }, 'alerts: tick failed'));
          if (nudgeOnTick) dispatcher.nudge();
        }, tickMs)
      : null;
  return {
    store,
    router,
    dispatcher,
    tick,
    boardLog: (entry) => {
      const event = boardEventOf(entry);
      if (event !== null) apply(engine.onBoard(entry.fermenterId, event));
    },
    health: (r) => apply(engine.onHealth(r.check, r.failing, r.detail)),
    close: async () => {
      if (timer !== null) clearInterval(timer);
      await client?.endAsync();
      await dispatcher.stop();
      store.close();
    },
  };
}
