// One MQTT client per bridge: announces the bridge and its fermenters, and publishes their states and
// incidents as they come from the fleet.

import type { IClientOptions } from 'mqtt';
import type { FermenterState, Incident } from '../firmware-bridge/types.js';
import { type Backlog, type BacklogOptions, openBacklog } from './backlog.js';
import type { BridgeFermenters } from './bridge-fermenters-schema.js';
import { connected, createClient } from './client.js';
import { type BrokerLog, silentLog } from './log.js';
import { StateThrottle } from './state-throttle.js';
import { OFFLINE, ONLINE, topicsFor } from './topics.js';

/** What the publisher needs from a fermenter; the fleet's FermenterHandle is one. */
export interface StateSource {
  readonly id: string;
  latest(): FermenterState | null;
  on(event: 'state', cb: (s: FermenterState) => void): void;
  on(event: 'incident', cb: (i: Incident) => void): void;
}

export interface StatePublisherOptions {
  /** e.g. mqtt://127.0.0.1:1883 */
  url: string;
  baseTopic: string;
  /** Names this bridge in <base>/bridge/<bridgeId>/availability. */
  bridgeId: string;
  /** Routine states go out at most this often, in wall milliseconds (`mqtt.statePeriodMs`). */
  statePeriodMs: number;
  sources: readonly StateSource[];
  log?: BrokerLog;
  /** How long stop() waits for the offline messages to be acknowledged. */
  stopTimeoutMs?: number;
  /** Passed to mqtt.js, e.g. { username, password }; the bridge's last will is set here and wins. */
  clientOptions?: IClientOptions;
  /** Where states wait while the broker is away (broker/backlog.ts); without it they are not kept. */
  backlog?: Omit<BacklogOptions, 'log'>;
}

export interface StatePublisher {
  /** Sends the latest states, marks every fermenter and the bridge offline, and disconnects. */
  stop(): Promise<void>;
}

const RETAINED = { qos: 1, retain: true } as const;
/** Backlog readings sent per round trip: enough to catch up quickly, few enough to let the loop breathe. */
const REPLAY_CHUNK = 200;

export async function startStatePublisher(opts: StatePublisherOptions): Promise<StatePublisher> {
  const log = opts.log ?? silentLog;
  const topics = topicsFor(opts.baseTopic);
  const bridgeTopic = topics.bridgeAvailability(opts.bridgeId);
  const client = createClient(opts.url, 'bridge', {
    ...opts.clientOptions,
    will: { topic: bridgeTopic, payload: Buffer.from(OFFLINE), ...RETAINED },
  });
  let stopped = false;
  const backlog: Backlog | undefined =
    opts.backlog === undefined ? undefined : openBacklog({ ...opts.backlog, log });
  let replaying = false;
  /** History recorders online: the backlog is replayed only when one listens. */
  const recorders = new Set<string>();

  // While the broker is away a state goes to the backlog, not to mqtt.js's queue in memory.
  const publishState = (s: FermenterState) => {
    const payload = JSON.stringify(s);
    if (backlog !== undefined && !client.connected) backlog.add(s.id, payload);
    else client.publish(topics.fermenterState(s.id), payload, { qos: 0, retain: true });
  };

  /**
   * Sends the backlog, oldest first, on each fermenter's replay topic (QoS 1, not retained: the dashboard's
   * live state stays the latest); each chunk leaves the backlog once the broker has acknowledged it. A chunk
   * cut short by a new outage is sent again after it: the history ignores readings it already has.
   */
  const replay = async () => {
    if (backlog === undefined || replaying || recorders.size === 0 || backlog.size() === 0) return;
    replaying = true;
    let sent = 0;
    const total = backlog.size();
    log.info({ readings: total }, 'state publisher: replaying the states kept while the broker was away');
    try {
      for (;;) {
        if (stopped || !client.connected) return;
        const chunk = backlog.oldest(REPLAY_CHUNK);
        const last = chunk.at(-1);
        if (last === undefined) break;
        await Promise.all(
          chunk.map((e) => client.publishAsync(topics.fermenterReplay(e.fermenterId), e.payload, { qos: 1 })),
        );
        if (stopped) return;
        backlog.remove(last.seq);
        sent += chunk.length;
      }
      backlog.outageOver();
      log.info({ readings: sent }, 'state publisher: backlog replayed');
    } catch (err) {
      log.warn(
        { err, sent },
        'state publisher: backlog replay interrupted; it resumes at the next connection',
      );
      // The connection may already be back, its connect event missed while this replay was running.
      setTimeout(() => void replay(), 1000).unref();
    } finally {
      replaying = false;
    }
  };
  const throttles = new Map(
    opts.sources.map((src) => [src, new StateThrottle(opts.statePeriodMs, publishState)]),
  );
  for (const [src, throttle] of throttles) {
    src.on('state', (s) => {
      if (!stopped) throttle.offer(s);
    });
    src.on('incident', (i) => {
      if (stopped) return;
      client.publish(topics.fermenterIncident(src.id), JSON.stringify(i), { qos: 1, retain: false });
      log.warn({ fermenter: src.id, code: i.code, severity: i.severity }, i.message);
    });
  }

  // On every (re)connect: a restarted broker may have lost the retained messages.
  client.on('connect', () => {
    client.publish(bridgeTopic, ONLINE, RETAINED);
    const fermenters: BridgeFermenters = { fermenters: opts.sources.map((s) => s.id) };
    client.publish(topics.bridgeFermenters(opts.bridgeId), JSON.stringify(fermenters), RETAINED);
    for (const [src, throttle] of throttles) {
      client.publish(topics.fermenterAvailability(src.id), ONLINE, RETAINED);
      const latest = src.latest();
      if (latest !== null) throttle.sendNow(latest);
    }
    void replay();
    log.debug({ url: opts.url, bridgeId: opts.bridgeId }, 'state publisher connected');
  });
  if (backlog !== undefined) {
    client.on('message', (topic, payload) => {
      if (topic.startsWith(`${opts.baseTopic}/recorder/`)) {
        if (payload.toString() === ONLINE) recorders.add(topic);
        else recorders.delete(topic);
        void replay();
      }
    });
    // Heard again (retained, or said anew) after each reconnect; mqtt.js renews the subscription itself.
    client.on('close', () => recorders.clear());
    client.subscribe(topics.allRecorderAvailability, { qos: 1 });
  }
  client.on('error', (err) => log.warn({ err, url: opts.url }, 'state publisher: MQTT error'));
  try {
    await connected(client);
  } catch (err) {
    // The fleet keeps its listeners; they must not publish through a client that never connected.
    stopped = true;
    backlog?.close();
    throw err;
  }

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of throttles.values()) t.flush();
      const offline = [
        ...opts.sources.map((src) =>
          client.publishAsync(topics.fermenterAvailability(src.id), OFFLINE, RETAINED),
        ),
        client.publishAsync(bridgeTopic, OFFLINE, RETAINED),
      ];
      const acknowledged = await withinMs(Promise.all(offline), opts.stopTimeoutMs ?? 2000);
      if (!acknowledged)
        log.warn({ url: opts.url }, 'state publisher: offline status not acknowledged in time');
      await client.endAsync(!acknowledged);
      backlog?.close();
    },
  };
}

async function withinMs(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      p.then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
