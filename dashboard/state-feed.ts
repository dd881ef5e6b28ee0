// The dashboard hears fermenters the way any other MQTT client would: by subscribing to their state,
// incident and availability topics. Listeners (the live feed) hear each accepted message as an event.
import type { IClientOptions } from 'mqtt';
import { connected, createClient } from '../broker/client.js';
import { IncidentSchema } from '../broker/incident-schema.js';
import type { BrokerLog } from '../broker/log.js';
import { topicsFor } from '../broker/topics.js';
import { systemClock, wireTimeProblem } from '../broker/wire-time.js';
import type { Clock } from '../common/clock.js';
import { InvalidInputError, schemaChecker } from '../common/schema-check.js';
import type { FermenterState, Incident } from '../firmware-bridge/types.js';
import { StateStore } from './state-store.js';

export type FeedEvent =
  | { type: 'state'; data: FermenterState }
  | { type: 'incident'; data: Incident }
  | { type: 'availability'; data: { fermenterId: string; online: boolean } };

const checkIncident = schemaChecker(IncidentSchema, 'the incident payload');

export interface StateFeedOptions {
  url: string;
  baseTopic: string;
  log: BrokerLog;
  /** The fermenters' clock (simulated time when accelerated), which every message's time is checked against. */
  clock?: Clock;
  /** Passed to mqtt.js: the dashboard's { username, password }. */
  clientOptions?: IClientOptions;
}

export interface StateFeed {
  readonly store: StateStore;
  connected(): boolean;
  /** Returns the function that stops listening. */
  subscribe(listener: (event: FeedEvent) => void): () => void;
  close(): Promise<void>;
}

/** The fermenter id in a topic made by `template('+')`, or null for any other topic. */
function idIn(topic: string, template: (id: string) => string): string | null {
  const [prefix, suffix] = template('+').split('+') as [string, string];
  if (!topic.startsWith(prefix) || !topic.endsWith(suffix)) return null;
  const id = topic.slice(prefix.length, topic.length - suffix.length);
  return id === '' || id.includes('/') ? null : id;
}

export async function startStateFeed(opts: StateFeedOptions): Promise<StateFeed> {
  const topics = topicsFor(opts.baseTopic);
  const clock = opts.clock ?? systemClock;
  const store = new StateStore(topics, Date.now, () => clock.now());
  const listeners = new Set<(event: FeedEvent) => void>();
  const emit = (event: FeedEvent) => {
    for (const listener of listeners) listener(event);
  };
  const onIncident = (id: string, payload: Buffer) => {
    let incident: Incident;
    try {
      incident = checkIncident(JSON.parse(payload.toString('utf8')));
    } catch (err) {
      if (!(err instanceof InvalidInputError || err instanceof SyntaxError)) throw err;
      opts.log.warn({ fermenter: id, reason: err.message }, 'dropped an invalid incident message');
      return;
    }
    const late = wireTimeProblem(incident.at, clock.now());
    if (late !== null) opts.log.warn({ fermenter: id, reason: late }, 'dropped an incident');
    else if (incident.fermenterId === id) emit({ type: 'incident', data: incident });
    else opts.log.warn({ fermenter: id }, "dropped an incident whose fermenterId does not match its topic's");
  };
  /** Tells listeners the availability of these fermenters as it now stands. */
  const announce = (ids: readonly string[]) => {
    for (const id of ids) {
      const online = store.online(id);
      if (online !== null) emit({ type: 'availability', data: { fermenterId: id, online } });
    }
  };
  const client = createClient(opts.url, 'dash', { ...opts.clientOptions });
  client.on('message', (topic, payload) => {
    const incidentOf = idIn(topic, topics.fermenterIncident);
    if (incidentOf !== null) return onIncident(incidentOf, payload);
    const availabilityOf = topics.availabilityTopicId(topic);
    if (availabilityOf !== null) {
      if (!store.ingestAvailability(availabilityOf, payload)) {
        opts.log.warn({ topic }, 'dropped an availability message that is neither online nor offline');
      } else {
        const online = store.online(availabilityOf);
        if (online !== null) emit({ type: 'availability', data: { fermenterId: availabilityOf, online } });
      }
      return;
    }
    const bridgeOf = topics.bridgeTopicId(topic, 'availability');
    if (bridgeOf !== null) {
      if (!store.ingestBridgeAvailability(bridgeOf, payload)) {
        opts.log.warn({ topic }, 'dropped an availability message that is neither online nor offline');
        return;
      }
      const fermenters = store.fermentersOf(bridgeOf);
      if (store.bridgeOnline(bridgeOf) === false) {
        opts.log.warn({ bridge: bridgeOf, fermenters }, 'bridge offline: its fermenters are shown offline');
      }
      announce(fermenters);
      return;
    }
    const listOf = topics.bridgeTopicId(topic, 'fermenters');
    if (listOf !== null) {
      const listed = store.ingestBridgeFermenters(listOf, payload);
      // The list may come after the bridge's offline: its fermenters are offline from now on.
      if (store.bridgeOnline(listOf) === false) announce(store.fermentersOf(listOf));
      if (!listed.accepted)
        opts.log.warn({ topic, reason: listed.reason }, "dropped a bridge's invalid list of fermenters");
      return;
    }
    const result = store.ingest(topic, payload);
    if (!result.accepted) opts.log.warn({ topic, reason: result.reason }, 'dropped an invalid state message');
    const id = topics.stateTopicId(topic);
    const stored = id === null ? undefined : store.get(id);
    if (result.accepted && stored !== undefined && payload.length > 0)
      emit({ type: 'state', data: stored.state });
  });
  client.on('error', (err) => opts.log.warn({ err, url: opts.url }, 'dashboard: MQTT error'));
  await connected(client);
  // mqtt.js renews these subscriptions by itself after a reconnect.
  await client.subscribeAsync({
    [topics.allFermenterStates]: { qos: 0 },
    [topics.allFermenterAvailability]: { qos: 1 },
    [topics.fermenterIncident('+')]: { qos: 1 },
    [topics.bridgeAvailability('+')]: { qos: 1 },
    [topics.bridgeFermenters('+')]: { qos: 1 },
  });
  return {
    store,
    connected: () => client.connected,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => client.endAsync(),
  };
}
